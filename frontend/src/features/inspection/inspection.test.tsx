import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { User } from "@/auth/claims";
import { button, dialog } from "@/test/fast";
import { json, renderApp } from "@/test/harness";

const INSPECTOR: User = {
  subject: "sub-thanhtra",
  name: "Hoàng Văn Em — Thanh tra",
  username: "thanhtra",
  roles: ["inspector"],
  areaCodes: ["31"],
  expiresAt: 4_102_444_800,
};
const FLAG = "0190e1c2-0000-7000-8000-0000000000d1";
const CASE = "0190e1c2-0000-7000-8000-0000000000d2";

function flag(changes: Record<string, unknown> = {}) {
  return {
    id: FLAG,
    source: "registry",
    key: "k",
    kind: "supported_twice",
    status: "open",
    province_code: "31",
    commune_code: "10525",
    person_id: null,
    household_id: null,
    application_id: null,
    contract_id: null,
    project_id: null,
    loan_id: null,
    obligation_id: null,
    observed_at: "2025-09-01T03:00:00Z",
    evidence: { cases: 2 },
    run_id: null,
    case_id: null,
    decided_by: null,
    decided_at: null,
    dismissed_reason: null,
    version: 1,
    created_at: "2025-09-01T03:00:00Z",
    updated_at: "2025-09-01T03:00:00Z",
    ...changes,
  };
}

describe("profiteering flags", () => {
  it("a dismissal needs a reason and sends If-Match; a confirmed flag links to its case", async () => {
    let current = flag();
    const sent: { path: string; ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: "/profiteering-flags?status=open",
      user: INSPECTOR,
      routes: {
        "GET /api/inspection/v1/profiteering-flags": () => json({ items: [current], next_cursor: null }),
        [`GET /api/inspection/v1/profiteering-flags/${FLAG}`]: () =>
          json(current, { headers: { ETag: `W/"${current.version}"` } }),
        [`POST /api/inspection/v1/profiteering-flags/${FLAG}/dismiss`]: async (request) => {
          sent.push({
            path: "dismiss",
            ifMatch: request.headers.get("If-Match"),
            body: await request.json(),
          });
          return json(current);
        },
        [`POST /api/inspection/v1/profiteering-flags/${FLAG}/confirm`]: async (request) => {
          sent.push({
            path: "confirm",
            ifMatch: request.headers.get("If-Match"),
            body: await request.json(),
          });
          current = flag({ status: "confirmed", case_id: CASE, version: 2 });
          return json(current);
        },
      },
    });
    expect(await screen.findByText("Được hỗ trợ hai lần")).toBeInTheDocument();
    fireEvent.click(button(document.body, "Bỏ qua"));
    let modal = await dialog();
    fireEvent.click(button(modal, "Bỏ qua"));
    expect(await screen.findByText(/Lý do cần từ/)).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    fireEvent.click(button(modal, "Huỷ"));

    fireEvent.click(button(document.body, "Xác nhận, mở vụ việc"));
    modal = await dialog();
    fireEvent.click(button(modal, "Xác nhận, mở vụ việc"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ path: "confirm", ifMatch: 'W/"1"', body: { case_kind: "construction_check" } });
    const link = await screen.findByRole("link", { name: "Xem vụ việc" });
    expect(link.getAttribute("href")).toBe(`/inspection-cases/${CASE}`);
  });
});

const OBLIGATION = "0190e1c2-0000-7000-8000-0000000000o1".replace("o", "e");
const PROJECT = "0190e1c2-0000-7000-8000-0000000000p1".replace("p", "f");

function obligation(changes: Record<string, unknown> = {}) {
  return {
    id: OBLIGATION,
    commercial_project_id: PROJECT,
    method: "reserve_land",
    status: "reserved_in_plan",
    province_code: "31",
    commune_code: "10525",
    rule_id: "r",
    decided_on: "2025-11-20",
    decision_number: "100/QĐ-UBND",
    residential_land_m2: "185000",
    reserve_rate: "0.2",
    required_area_m2: "37000",
    land_price_vnd_per_m2: null,
    technical_infrastructure_cost_vnd: null,
    infrastructure_cost_rate: null,
    money_land_fee_vnd: null,
    money_infrastructure_vnd: null,
    money_due_vnd: null,
    reserved_parcel_id: null,
    reserved_in_plan_on: "2025-11-20",
    infrastructure_built_on: null,
    cleared_on: null,
    investor_assigned_on: null,
    started_on: null,
    paid_on: null,
    infrastructure_built_due: "2027-12-31",
    cleared_due: null,
    investor_assigned_due: null,
    started_due: null,
    payment_due: null,
    due_on: "2027-12-31",
    version: 4,
    created_at: "2025-11-20T00:00:00Z",
    updated_at: "2025-11-20T00:00:00Z",
    ...changes,
  };
}

describe("land reserve obligations", () => {
  it("filters the overdue ones in the URL", async () => {
    const app = renderApp({
      path: "/land-reserve-obligations",
      routes: {
        "GET /api/inspection/v1/land-reserve-obligations": () =>
          json({ items: [obligation()], next_cursor: null }),
      },
    });
    expect(await screen.findByText("Dành quỹ đất trong dự án")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("checkbox", { name: "Chỉ nghĩa vụ quá hạn" }));
    await waitFor(() => expect(app.router.state.location.searchStr).toBe("?overdue=true"));
    await waitFor(() =>
      expect(app.calls.some((c) => new URL(c.url).searchParams.get("overdue") === "true")).toBe(true),
    );
  });

  it("shows the stages and lets the province record the next one with If-Match", async () => {
    let current = obligation();
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: `/land-reserve-obligations/${OBLIGATION}`,
      routes: {
        [`GET /api/inspection/v1/land-reserve-obligations/${OBLIGATION}`]: () =>
          json(current, { headers: { ETag: `W/"${current.version}"` } }),
        [`GET /api/inspection/v1/commercial-projects/${PROJECT}`]: () =>
          json({
            id: PROJECT,
            name: "Khu đô thị Bắc sông Cấm",
            investor_name: "Công ty CP Cấm Giang",
            site_parcel_id: null,
          }),
        [`POST /api/inspection/v1/land-reserve-obligations/${OBLIGATION}/transitions`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          current = obligation({
            status: "infrastructure_built",
            infrastructure_built_on: "2026-01-10",
            version: 5,
          });
          return json(current);
        },
      },
    });
    const timeline = await screen.findByTestId("obligation-timeline");
    expect(timeline).toHaveTextContent("hạn 31/12/2027");
    fireEvent.click(button(document.body, "Chuyển sang: Đã xây hạ tầng"));
    const modal = await dialog();
    fireEvent.change(modal.querySelector("input[type=date]") as HTMLInputElement, {
      target: { value: "2026-01-10" },
    });
    fireEvent.click(button(modal, "Lưu"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ ifMatch: 'W/"4"', body: { status: "infrastructure_built", on: "2026-01-10" } });
    expect(await screen.findByText("10/01/2026")).toBeInTheDocument();
  });
});
