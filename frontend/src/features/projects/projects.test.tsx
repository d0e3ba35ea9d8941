import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog as openDialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import { nextMilestone, type Project } from "./queries";

const APP = "0190e1c2-0000-7000-8000-0000000a0001";
const PROJECT = "0190e1c2-0000-7000-8000-0000000b0001";
const ROUND = "0190e1c2-0000-7000-8000-0000000c0001";
const EVIDENCE = "0190e1c2-0000-7000-8000-0000000e0001";

function application(status: string, changes: Record<string, unknown> = {}) {
  return {
    id: APP,
    project_id: PROJECT,
    tenure: "buy",
    status,
    applicant_person_id: "p1",
    spouse_person_id: null,
    member_person_ids: [],
    beneficiary_group_id: "g",
    marital_status: "single",
    monthly_income_vnd: 14000000,
    owns_house_in_province: false,
    house_floor_area_m2: null,
    house_occupants: null,
    submitted_on: "2026-10-01",
    assessed_on: null,
    allocated_on: null,
    withdrawn_on: null,
    withdrawal_reason: null,
    eligibility_trace: null,
    note: null,
    province_code: "31",
    commune_code: "10525",
    version: 2,
    created_at: "2026-09-20T00:00:00Z",
    updated_at: "2026-10-01T00:00:00Z",
    evidence: [
      {
        id: EVIDENCE,
        application_id: APP,
        person_id: "p1",
        form: "04",
        form_version: "2024",
        issuer: "UBND phường Hải Dương",
        issued_on: "2026-09-15",
        document_number: null,
        created_at: "2026-09-20T00:00:00Z",
      },
    ],
    ...changes,
  };
}

const TRACE = [
  {
    rule_code: "INCOME_SINGLE",
    kind: "income",
    legal_basis: "Nghị định 261/2025/NĐ-CP, Điều 30",
    outcome: "pass",
    reason: "income_within_limit",
    evidence_ids: [EVIDENCE],
  },
  {
    rule_code: "NO_HOUSE",
    kind: "housing",
    legal_basis: "Luật Nhà ở 2023, Điều 78",
    outcome: "fail",
    reason: "owns_house",
    evidence_ids: [],
  },
  {
    rule_code: "RESIDENCE",
    kind: "residence",
    legal_basis: "Luật Nhà ở 2023, Điều 77",
    outcome: "unknown",
    reason: "no_evidence",
    evidence_ids: [],
  },
];

describe("projects and applications", () => {
  it("knows the next milestone", () => {
    const p = {
      approved_on: "2025-01-01",
      started_on: null,
      completed_on: null,
      handed_over_on: null,
    } as Project;
    expect(nextMilestone(p)).toBe("started");
    expect(nextMilestone({ ...p, started_on: "x", completed_on: "y", handed_over_on: "z" })).toBeNull();
  });

  it("assesses a submitted application with If-Match and shows each rule with its evidence and basis", async () => {
    let current = application("submitted");
    const sent: (string | null)[] = [];
    const path = `/api/registry/v1/applications/${APP}`;
    renderApp({
      path: `/applications/${APP}`,
      user: USERS.commune,
      routes: {
        [`GET ${path}`]: () => json(current, { headers: { ETag: `W/"${current.version}"` } }),
        [`POST ${path}/assess`]: (request) => {
          sent.push(request.headers.get("If-Match"));
          current = application("ineligible", {
            version: 3,
            assessed_on: "2026-10-02",
            eligibility_trace: TRACE,
          });
          return json(current);
        },
      },
    });
    expect(await screen.findByText("Chưa xét điều kiện.")).toBeInTheDocument();
    fireEvent.click(button(document.body, "Xét điều kiện"));
    fireEvent.click(button(await openDialog(), "Xét điều kiện"));
    const trace = await screen.findByTestId("eligibility-trace");
    await waitFor(() => expect(trace).toHaveTextContent("Không đạt"));
    expect(sent).toEqual(['W/"2"']);
    expect(trace).toHaveTextContent("Đạt");
    expect(trace).toHaveTextContent("Chưa xác định");
    expect(trace).toHaveTextContent("Nghị định 261/2025/NĐ-CP, Điều 30");
    expect(trace).toHaveTextContent("Mẫu 04 — UBND phường Hải Dương, 15/09/2026");
    expect(screen.getByTestId("application-status")).toHaveTextContent("Không đủ điều kiện");
  });

  it("says in words why a step was refused", async () => {
    const path = `/api/registry/v1/applications/${APP}`;
    renderApp({
      path: `/applications/${APP}`,
      user: USERS.province,
      routes: {
        [`GET ${path}`]: () => json(application("submitted"), { headers: { ETag: 'W/"2"' } }),
        [`POST ${path}/assess`]: () => problem(409, "eligibility_unknown", { detail: "RESIDENCE" }),
      },
    });
    fireEvent.click(await waitFor(() => button(document.body, "Xét điều kiện")));
    fireEvent.click(button(await openDialog(), "Xét điều kiện"));
    expect(await screen.findByTestId("problem")).toHaveAttribute("data-code", "eligibility_unknown");
  });

  it("shows a round's priority and lottery places; the province draws it with If-Match", async () => {
    const round = (status: string, result: unknown[] | null) => ({
      id: ROUND,
      project_id: PROJECT,
      tenure: "buy",
      units: 2,
      status,
      published_seed: "xo-so-2026-10",
      seed_sha256: "ab".repeat(32),
      priority_rule_id: null,
      drawn_on: result ? "2026-10-05" : null,
      dossiers: result ? 3 : null,
      priority_dossiers: result ? 1 : null,
      priority_quota: result ? 0 : null,
      result,
      province_code: "31",
      commune_code: "10525",
      version: result ? 2 : 1,
      created_at: "2026-10-01T00:00:00Z",
    });
    let current = round("open", null);
    const sent: (string | null)[] = [];
    renderApp({
      path: `/allocation-rounds/${ROUND}`,
      user: USERS.province,
      routes: {
        [`GET /api/registry/v1/allocation-rounds/${ROUND}`]: () =>
          json(current, { headers: { ETag: `W/"${current.version}"` } }),
        [`POST /api/registry/v1/allocation-rounds/${ROUND}/draw`]: (request) => {
          sent.push(request.headers.get("If-Match"));
          current = round("drawn", [
            {
              place: 1,
              application_id: APP,
              via: "priority",
              priority: "merit",
              lottery_key: null,
              won: true,
            },
            {
              place: 2,
              application_id: PROJECT,
              via: "lottery",
              priority: null,
              lottery_key: "9f".repeat(32),
              won: true,
            },
            {
              place: 3,
              application_id: ROUND,
              via: "lottery",
              priority: null,
              lottery_key: "c1".repeat(32),
              won: false,
            },
          ]);
          return json(current);
        },
      },
    });
    expect(await screen.findByText("Chưa bốc thăm.")).toBeInTheDocument();
    fireEvent.click(button(document.body, "Xét chọn và bốc thăm"));
    fireEvent.click(button(await openDialog(), "Xét chọn và bốc thăm"));
    const results = await screen.findByTestId("round-results");
    await waitFor(() => expect(results).toHaveTextContent("Ưu tiên"));
    expect(results).toHaveTextContent("Bốc thăm");
    expect(results).toHaveTextContent("Không trúng");
    expect(sent).toEqual(['W/"1"']);
    const main = document.querySelector("main") as HTMLElement;
    await waitFor(() => expect(button(main, "Xét chọn và bốc thăm", false)).toBeNull());
  });

  it("does not offer a commune officer the draw", async () => {
    renderApp({
      path: `/allocation-rounds/${ROUND}`,
      user: USERS.commune,
      routes: {
        [`GET /api/registry/v1/allocation-rounds/${ROUND}`]: () =>
          json({
            id: ROUND,
            project_id: PROJECT,
            tenure: "rent",
            units: 2,
            status: "open",
            published_seed: "s",
            seed_sha256: "00",
            priority_rule_id: null,
            drawn_on: null,
            dossiers: null,
            priority_dossiers: null,
            priority_quota: null,
            result: null,
            province_code: "31",
            commune_code: "10525",
            version: 1,
            created_at: "2026-10-01T00:00:00Z",
          }),
      },
    });
    expect(await screen.findByText("Chưa bốc thăm.")).toBeInTheDocument();
    expect(button(document.body, "Xét chọn và bốc thăm", false)).toBeNull();
  });
});
