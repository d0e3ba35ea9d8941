import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";

const SOURCE = "0190e1c2-0000-7000-8000-0000000000f1";
const CASE = "0190e1c2-0000-7000-8000-0000000000c1";
const ALLOCATION = "0190e1c2-0000-7000-8000-0000000000a9";

const source = {
  id: SOURCE,
  province_code: "31",
  kind: "families_and_community",
  name: "Gia đình, dòng họ và cộng đồng",
  decision_number: null,
  decision_date: null,
  note: null,
  active: true,
  version: 1,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
};

const allocation = {
  id: ALLOCATION,
  source_id: SOURCE,
  source_kind: "families_and_community",
  target_kind: "support_case",
  support_case_id: CASE,
  project_id: null,
  programme: null,
  province_code: "31",
  commune_code: "10525",
  decision_number: "01/QĐ-STC",
  decision_date: "2025-09-01",
  note: null,
  amount_vnd: 15000000,
  disbursed_vnd: 0,
  undisbursed_vnd: 15000000,
  status: "allocated",
  created_at: "2025-09-01T00:00:00Z",
};

describe("allocations", () => {
  it("a finance officer pastes the case ID; errors show next to their fields; the create is idempotent", async () => {
    const sent: { key: string | null; body: Record<string, unknown> }[] = [];
    let refuse = true;
    const app = renderApp({
      path: "/allocations/new",
      user: USERS.finance,
      routes: {
        "GET /api/funding/v1/funding-sources": () => json({ items: [source], next_cursor: null }),
        "POST /api/funding/v1/allocations": async (request) => {
          sent.push({ key: request.headers.get("Idempotency-Key"), body: await request.json() });
          if (refuse) {
            refuse = false;
            return problem(422, "amount_exceeds_available", { detail: "too much" });
          }
          return json(allocation, { status: 201 });
        },
        [`GET /api/funding/v1/allocations/${ALLOCATION}`]: () => json(allocation),
        "GET /api/funding/v1/funding-lines": () => json({ items: [], next_cursor: null }),
      },
    });
    await screen.findByText("Phân bổ vốn mới");
    // Finance officers do not read the registry's cases: a plain ID field, with help.
    expect(screen.getByText(/Dán mã hồ sơ hỗ trợ/)).toBeInTheDocument();
    fireEvent.click(button(document.body, "Phân bổ vốn"));
    expect((await screen.findAllByText("Bắt buộc nhập.")).length).toBeGreaterThan(0);
    expect(sent).toHaveLength(0);

    fireEvent.mouseDown(document.querySelector("#field-source_id") as HTMLElement);
    fireEvent.click(await screen.findByTitle(/Gia đình, dòng họ/));
    fireEvent.change(screen.getByLabelText("Hồ sơ hỗ trợ"), { target: { value: CASE } });
    fireEvent.change(screen.getByLabelText("Số tiền (đồng)"), { target: { value: "15000000" } });
    fireEvent.change(screen.getByLabelText("Số quyết định"), { target: { value: "01/QĐ-STC" } });
    fireEvent.click(button(document.body, "Phân bổ vốn"));
    expect(
      await screen.findByText("Số tiền vượt số vốn còn lại của nguồn (đã nhận trừ đã phân bổ)."),
    ).toBeInTheDocument();
    fireEvent.click(button(document.body, "Phân bổ vốn"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/allocations/${ALLOCATION}`));
    expect(sent).toHaveLength(2);
    expect(sent[0]?.key).toBeTruthy();
    expect(sent[1]?.key).toBe(sent[0]?.key);
    expect(sent[1]?.body).toMatchObject({ source_id: SOURCE, support_case_id: CASE, amount_vnd: 15000000 });
    expect(await screen.findByTestId("allocation")).toHaveTextContent("15.000.000 ₫");
  });
});

describe("loan exceptions", () => {
  it("dismisses with a reason and the exception's ETag", async () => {
    const ID = "0190e1c2-0000-7000-8000-0000000000e1";
    const row = {
      id: ID,
      loan_id: "0190e1c2-0000-7000-8000-0000000000b1",
      reason: "cap_exceeded",
      status: "open",
      province_code: "31",
      commune_code: null,
      created_at: "2025-09-01T00:00:00Z",
      evidence: {},
      resolution_note: null,
      closed_by: null,
      closed_at: null,
      version: 2,
    };
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: "/loan-exceptions?status=open",
      user: USERS.finance,
      routes: {
        "GET /api/funding/v1/loan-exceptions": () => json({ items: [row], next_cursor: null }),
        [`GET /api/funding/v1/loan-exceptions/${ID}`]: () => json(row, { headers: { ETag: 'W/"2"' } }),
        [`POST /api/funding/v1/loan-exceptions/${ID}/dismiss`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          return json({ ...row, status: "dismissed" });
        },
      },
    });
    expect(await screen.findByText("Vượt mức cho vay tối đa")).toBeInTheDocument();
    fireEvent.click(button(document.body, "Bỏ qua"));
    const modal = await dialog();
    fireEvent.change(modal.querySelector("textarea") as HTMLTextAreaElement, {
      target: { value: "Sai sót nhập liệu của ngân hàng" },
    });
    fireEvent.click(button(modal, "Bỏ qua"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ ifMatch: 'W/"2"', body: { reason: "Sai sót nhập liệu của ngân hàng" } });
  });
});
