import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import { knownInspectors } from "./AssignCase";

const CASE = "0190e1c2-0000-7000-8000-0000000000d2";
const BASE = `/api/inspection/v1/inspection-cases/${CASE}`;

function inspectionCase(changes: Record<string, unknown> = {}) {
  return {
    id: CASE,
    kind: "construction_check",
    status: "planned",
    title: "Kiểm tra nhà ở xã hội Tràng Duệ",
    subject: "Căn hộ A-1203",
    summary: null,
    province_code: "31",
    commune_code: "10525",
    plan_item_id: null,
    parent_case_id: null,
    flag_id: null,
    due_on: null,
    opened_by: "so.xaydung",
    assigned_inspector: null,
    assigned_at: null,
    checklist_version_id: null,
    started_at: null,
    conclusion: null,
    concluded_on: null,
    closed_at: null,
    closure_note: null,
    allowed_actions: ["assign", "close"],
    version: 3,
    created_at: "2026-11-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
    ...changes,
  };
}

const empty = () => json({ items: [], next_cursor: null });

describe("assigning an inspection case", () => {
  it("offers the inspectors already working the area's cases, most used first", () => {
    expect(
      knownInspectors([
        { assigned_inspector: "sub-b" },
        { assigned_inspector: null },
        { assigned_inspector: "sub-a" },
        { assigned_inspector: "sub-b" },
      ]),
    ).toEqual(["sub-b", "sub-a"]);
  });

  it("lets a province officer assign with If-Match, then re-assign; field errors stay by the field", {
    timeout: 40_000,
  }, async () => {
    let current = inspectionCase();
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    let refuse = true;
    renderApp({
      path: `/inspection-cases/${CASE}`,
      user: USERS.province,
      routes: {
        [`GET ${BASE}`]: () => json(current, { headers: { ETag: `W/"${current.version}"` } }),
        [`GET ${BASE}/findings`]: empty,
        [`GET ${BASE}/photos`]: empty,
        [`GET ${BASE}/violations`]: empty,
        [`GET ${BASE}/sanctions`]: empty,
        "GET /api/inspection/v1/violation-types": empty,
        "GET /api/inspection/v1/inspection-cases": () =>
          json({ items: [inspectionCase({ assigned_inspector: "sub-thanhtra" })], next_cursor: null }),
        [`POST ${BASE}/assign`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          if (refuse) {
            refuse = false;
            return problem(422, "validation_failed", {
              errors: [{ pointer: "/body/due_on", code: "in_the_future", message: "x" }],
            });
          }
          current = inspectionCase({
            status: "assigned",
            assigned_inspector: "sub-thanhtra",
            due_on: "2026-12-31",
            allowed_actions: ["assign", "start", "close"],
            version: 4,
          });
          return json(current);
        },
      },
    });
    fireEvent.click(await waitFor(() => button(document.body, "Giao thanh tra viên")));
    let modal = await dialog();
    fireEvent.click(button(modal, "Giao thanh tra viên"));
    expect(await within(modal).findByText("Bắt buộc nhập.")).toBeInTheDocument();
    const inspector = within(modal).getByLabelText("Thanh tra viên (mã tài khoản)");
    fireEvent.mouseDown(inspector);
    fireEvent.change(inspector, { target: { value: "sub" } });
    fireEvent.click(await screen.findByTitle("sub-thanhtra"));
    fireEvent.change(within(modal).getByLabelText("Hạn hoàn thành (không bắt buộc)"), {
      target: { value: "2026-12-31" },
    });
    fireEvent.click(button(modal, "Giao thanh tra viên"));
    expect(await within(modal).findByText("Không được là ngày trong tương lai.")).toBeInTheDocument();
    fireEvent.click(button(modal, "Giao thanh tra viên"));
    expect(await screen.findByText("Đã giao vụ việc.")).toBeInTheDocument();
    expect(sent[1]).toEqual({
      ifMatch: 'W/"3"',
      body: { inspector_subject: "sub-thanhtra", due_on: "2026-12-31" },
    });
    // Assigned and not started: re-assigning is still offered.
    fireEvent.click(await waitFor(() => button(document.body, "Giao lại")));
    modal = await dialog();
    expect(within(modal).getByLabelText("Thanh tra viên (mã tài khoản)")).toHaveValue("sub-thanhtra");
  });

  it("offers no assignment to an inspector", async () => {
    renderApp({
      path: `/inspection-cases/${CASE}`,
      user: { ...USERS.province, roles: ["inspector"] },
      routes: {
        [`GET ${BASE}`]: () => json(inspectionCase(), { headers: { ETag: 'W/"3"' } }),
        [`GET ${BASE}/findings`]: empty,
        [`GET ${BASE}/photos`]: empty,
        [`GET ${BASE}/violations`]: empty,
        [`GET ${BASE}/sanctions`]: empty,
        "GET /api/inspection/v1/violation-types": empty,
      },
    });
    expect(await screen.findByText("Kiểm tra nhà ở xã hội Tràng Duệ")).toBeInTheDocument();
    expect(button(document.body, "Giao thanh tra viên", false)).toBeNull();
  });
});
