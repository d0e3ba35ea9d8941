import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, renderApp, USERS } from "@/test/harness";
import { recordMode } from "./queries";

const CAMPAIGN = "0190e1c2-0000-7000-8000-00000000ca01";
const BASE = `/api/registry/v1/review-campaigns/${CAMPAIGN}`;
const RECORD_ID = "0190e1c2-0000-7000-8000-00000000cb01";
const record = (state: string) => ({
  id: RECORD_ID,
  campaign_id: CAMPAIGN,
  submission_id: "s1",
  household_id: "0190e1c2-0000-7000-8000-00000000cc01",
  kind: "new_case",
  status_before: "none",
  status_after: "poor",
  meeting_held_on: "2026-10-10",
  meeting_agreement_pct: "80.0",
  rule_id: "r",
  state,
  corrects_record_id: null,
  correction_reason: null,
  note: null,
  province_code: "31",
  commune_code: "10525",
  version: 4,
  created_at: "2026-10-10T00:00:00Z",
  updated_at: "2026-10-10T00:00:00Z",
});
const routes = (state: string, sent: { method: string; ifMatch: string | null; body: unknown }[]) => ({
  [`GET ${BASE}`]: () =>
    json({
      id: CAMPAIGN,
      province_code: "31",
      year: 2026,
      window_opens_on: "2026-09-01",
      window_closes_on: "2026-12-15",
      rule_id: "r",
      opened_by: "so.xaydung",
      version: 1,
    }),
  [`GET ${BASE}/progress`]: () => json({ campaign_id: CAMPAIGN, communes: [] }),
  [`GET ${BASE}/records`]: () => json({ items: [record(state)], next_cursor: null }),
  "GET /api/registry/v1/admin-units": () => json({ items: [], next_cursor: null }),
  [`GET /api/registry/v1/review-records/${RECORD_ID}`]: () =>
    json(record(state), { headers: { ETag: 'W/"4"' } }),
  [`PATCH /api/registry/v1/review-records/${RECORD_ID}`]: async (request: Request) => {
    sent.push({ method: "PATCH", ifMatch: request.headers.get("If-Match"), body: await request.json() });
    return json(record(state));
  },
  [`POST /api/registry/v1/review-records/${RECORD_ID}/corrections`]: async (request: Request) => {
    sent.push({ method: "POST", ifMatch: null, body: await request.json() });
    return json({ ...record("draft"), id: "new" }, { status: 201 });
  },
});

describe("review record changes", () => {
  it("edits drafts and returned records, corrects approved ones, leaves submitted ones", () => {
    expect(recordMode({ state: "draft" }, true)).toBe("edit");
    expect(recordMode({ state: "returned" }, true)).toBe("edit");
    expect(recordMode({ state: "approved" }, true)).toBe("correct");
    expect(recordMode({ state: "submitted" }, true)).toBeNull();
    expect(recordMode({ state: "draft" }, false)).toBeNull();
  });

  it("changes a draft record with its ETag as If-Match", { timeout: 30_000 }, async () => {
    const sent: { method: string; ifMatch: string | null; body: unknown }[] = [];
    renderApp({ path: `/review-campaigns/${CAMPAIGN}`, user: USERS.commune, routes: routes("draft", sent) });
    fireEvent.click(await screen.findByRole("button", { name: "Sửa" }));
    const modal = await dialog();
    fireEvent.change(within(modal).getByLabelText("Ghi chú"), { target: { value: "Họp lại" } });
    fireEvent.click(button(modal, "Lưu"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      method: "PATCH",
      ifMatch: 'W/"4"',
      body: { note: "Họp lại", status_after: "poor" },
    });
  });

  it("corrects an approved record with a reason", { timeout: 30_000 }, async () => {
    const sent: { method: string; ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: `/review-campaigns/${CAMPAIGN}`,
      user: USERS.commune,
      routes: routes("approved", sent),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Đính chính" }));
    const modal = await dialog();
    fireEvent.click(button(modal, "Lưu"));
    expect((await within(modal).findAllByText("Bắt buộc nhập.")).length).toBeGreaterThan(0);
    fireEvent.change(within(modal).getByLabelText("Lý do đính chính"), {
      target: { value: "Nhập sai tỉ lệ" },
    });
    fireEvent.click(button(modal, "Lưu"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ method: "POST", body: { reason: "Nhập sai tỉ lệ", kind: "new_case" } });
  });
});
