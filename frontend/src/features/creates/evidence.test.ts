import { describe, expect, it } from "vitest";
import {
  applicationBody,
  applicationSchema,
  coveredPersons,
  emptyApplication,
  emptyEvidence,
  evidenceBody,
  evidenceSchema,
} from "./evidenceSchema";

const A = "0190e1c2-0000-7000-8000-0000000a0001";
const S = "0190e1c2-0000-7000-8000-0000000a0002";
const M = "0190e1c2-0000-7000-8000-0000000a0003";

describe("application evidence form", () => {
  it("offers the applicant, the spouse and each member once", () => {
    expect(
      coveredPersons({
        applicant_person_id: "a",
        spouse_person_id: "s",
        member_person_ids: ["s", "m1", "m2"],
      }),
    ).toEqual([
      { id: "a", role: "applicant" },
      { id: "s", role: "spouse" },
      { id: "m1", role: "member" },
      { id: "m2", role: "member" },
    ]);
    expect(
      coveredPersons({ applicant_person_id: "a", spouse_person_id: null, member_person_ids: [] }),
    ).toHaveLength(1);
  });

  it("needs the form's version, issuer and date; the number is optional", () => {
    const v = emptyEvidence("a");
    expect(evidenceSchema.safeParse(v).success).toBe(false);
    const full = {
      ...v,
      form_version: "TT 05/2024/TT-BXD",
      issuer: "UBND phường Hải Dương",
      issued_on: "2026-03-01",
    };
    expect(evidenceSchema.safeParse(full).success).toBe(true);
    expect(evidenceBody(full)).toEqual({
      person_id: "a",
      form: "01",
      form_version: "TT 05/2024/TT-BXD",
      issuer: "UBND phường Hải Dương",
      issued_on: "2026-03-01",
      document_number: null,
    });
  });
});

describe("new application form", () => {
  it("takes the members picked, once, and leaves out the applicant and the spouse", () => {
    const v = {
      ...emptyApplication(A),
      applicant_person_id: A,
      spouse_person_id: S,
      members: [M, S, A, M],
    };
    expect(applicationSchema.safeParse(v).success).toBe(true);
    expect(applicationBody(v)).toMatchObject({ member_person_ids: [M], spouse_person_id: S, note: null });
    expect(applicationSchema.safeParse({ ...v, members: ["abc"] }).success).toBe(false);
    expect(applicationSchema.safeParse({ ...v, applicant_person_id: "" }).success).toBe(false);
    expect(applicationBody({ ...v, spouse_person_id: "" }).spouse_person_id).toBeNull();
  });
});
