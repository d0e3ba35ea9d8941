import { fireEvent, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, renderApp, USERS } from "@/test/harness";

const HH = "0190e1c2-0000-7000-8000-0000000000a1";
const APPLICANT = "0190e1c2-0000-7000-8000-0000000000b1";
const WIFE = "0190e1c2-0000-7000-8000-0000000000b2";
const CHILD = "0190e1c2-0000-7000-8000-0000000000b3";
const PROJECT = "0190e1c2-0000-7000-8000-0000000000f1";
const APPLICATION = "0190e1c2-0000-7000-8000-0000000000f9";

const person = (id: string, full_name: string, relationship: string, birth_year: number) => ({
  id,
  household_id: HH,
  relationship,
  full_name,
  date_of_birth: null,
  birth_year,
  gender: relationship === "spouse" ? "female" : "male",
  citizen_id_masked: null,
  legacy_id_masked: null,
  phone_masked: null,
  province_code: "31",
  commune_code: "10525",
  legacy_area_code: null,
  version: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

/** An option of the dropdown open now (antd keeps the closed ones in the page). */
async function pick(title: string) {
  const option = await waitFor(() => {
    const open = [
      ...document.querySelectorAll<HTMLElement>(".ant-select-dropdown:not(.ant-select-dropdown-hidden)"),
    ];
    const found = [...(open.at(-1)?.querySelectorAll<HTMLElement>(".ant-select-item-option") ?? [])].find(
      (el) => el.getAttribute("title") === title,
    );
    if (!found) throw new Error(`no option ${title}`);
    return found;
  });
  fireEvent.click(option);
}

describe("a new application's people, picked by name", () => {
  it("finds the applicant without diacritics and offers the household's members", {
    timeout: 60_000,
  }, async () => {
    const bodies: unknown[] = [];
    const app = renderApp({
      path: "/applications",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/applications": () => json({ items: [], next_cursor: null }),
        "GET /api/registry/v1/housing-projects": () =>
          json({ items: [{ id: PROJECT, name: "NOXH Tràng Duệ" }], next_cursor: null }),
        "GET /api/registry/v1/persons/search": () =>
          json({
            items: [{ ...person(APPLICANT, "Nguyễn Văn Đức", "head", 1980), match: "exact" }],
            next_cursor: null,
          }),
        [`GET /api/registry/v1/households/${HH}`]: () =>
          json({
            id: HH,
            members: [
              person(APPLICANT, "Nguyễn Văn Đức", "head", 1980),
              person(WIFE, "Trần Thị Hoa", "spouse", 1983),
              person(CHILD, "Nguyễn Văn An", "child", 2010),
            ],
          }),
        "POST /api/registry/v1/applications": async (request) => {
          bodies.push(await request.json());
          return json({ id: APPLICATION }, { status: 201 });
        },
        [`GET /api/registry/v1/applications/${APPLICATION}`]: () => json({}, { status: 404 }),
      },
    });
    fireEvent.click(await waitFor(() => button(document.body, "Thêm hồ sơ")));
    const modal = await dialog();
    fireEvent.mouseDown(within(modal).getByLabelText("Dự án"));
    await pick("NOXH Tràng Duệ");

    const applicant = within(modal).getByLabelText("Người đứng đơn");
    fireEvent.mouseDown(applicant);
    fireEvent.change(applicant, { target: { value: "nguyen van duc" } });
    await pick("Nguyễn Văn Đức — Chủ hộ, sinh 1980");

    // The applicant's household members are offered for the spouse and the members.
    fireEvent.mouseDown(within(modal).getByLabelText("Vợ/chồng (không bắt buộc)"));
    await pick("Trần Thị Hoa — Vợ/chồng, sinh 1983");
    fireEvent.mouseDown(within(modal).getByLabelText("Các thành viên trong hồ sơ"));
    await pick("Nguyễn Văn An — Con, sinh 2010");

    fireEvent.click(button(modal, "Thêm hồ sơ"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/applications/${APPLICATION}`));
    expect(bodies[0]).toMatchObject({
      project_id: PROJECT,
      applicant_person_id: APPLICANT,
      spouse_person_id: WIFE,
      member_person_ids: [CHILD],
    });
  });
});
