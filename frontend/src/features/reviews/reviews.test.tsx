import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog as openDialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import { setActions } from "./queries";

const CAMPAIGN = "0190e1c2-0000-7000-8000-00000000ca01";
const BASE = `/api/registry/v1/review-campaigns/${CAMPAIGN}`;
const campaign = {
  id: CAMPAIGN,
  province_code: "31",
  year: 2026,
  window_opens_on: "2026-09-01",
  window_closes_on: "2026-12-15",
  rule_id: "r",
  opened_by: "so.xaydung",
  version: 1,
  created_at: "2026-09-01T00:00:00Z",
  updated_at: "2026-09-01T00:00:00Z",
};
const progress = (state: string | null) => ({
  campaign_id: CAMPAIGN,
  communes: [
    {
      commune_code: "10525",
      submission_state: state,
      households_reviewed: 12,
      draft: state === null ? 12 : 0,
      submitted: state === "submitted" ? 12 : 0,
      approved: 0,
      returned: 0,
      corrections: 1,
    },
  ],
});
const submission = (state: string, version: number) => ({
  id: "s1",
  campaign_id: CAMPAIGN,
  province_code: "31",
  commune_code: "10525",
  state,
  submitted_at: null,
  submitted_by: null,
  decided_at: null,
  decided_by: null,
  return_reason: null,
  version,
});
const common = {
  [`GET ${BASE}`]: () => json(campaign),
  [`GET ${BASE}/records`]: () => json({ items: [], next_cursor: null }),
  "GET /api/registry/v1/admin-units": () => json({ items: [], next_cursor: null }),
};

describe("review campaigns", () => {
  it("offers each role its steps", () => {
    expect(setActions(null, 3, true, false)).toEqual(["submit"]);
    expect(setActions(null, 0, true, false)).toEqual([]);
    expect(setActions("returned", 2, true, false)).toEqual(["submit"]);
    expect(setActions("submitted", 0, false, true)).toEqual(["approve", "return"]);
    expect(setActions("approved", 0, true, true)).toEqual([]);
  });

  it("lets a province officer return a submitted set with a reason, sending the set's ETag", {
    timeout: 40_000,
  }, async () => {
    let state = "submitted";
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: `/review-campaigns/${CAMPAIGN}`,
      user: USERS.province,
      routes: {
        ...common,
        [`GET ${BASE}/progress`]: () => json(progress(state)),
        [`GET ${BASE}/communes/10525`]: () => json(submission(state, 4), { headers: { ETag: 'W/"4"' } }),
        [`POST ${BASE}/communes/10525/return`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          state = "returned";
          return json(submission("returned", 5));
        },
      },
    });
    expect(await screen.findByText("Rà soát năm 2026")).toBeInTheDocument();
    const table = await screen.findByTestId("review-progress");
    // The state column's tag (the count column's heading says the same words).
    await waitFor(() => expect(table.querySelector(".ant-tag")).toHaveTextContent("Đã gửi"));
    expect(button(table, "Gửi kết quả", false)).toBeNull();
    fireEvent.click(button(table, "Trả lại"));
    const dialog = await openDialog();
    fireEvent.click(button(dialog, "Trả lại"));
    expect(await within(dialog).findByText("Lý do cần từ 3 đến 1000 ký tự.")).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText("Lý do trả lại"), {
      target: { value: "Thiếu biên bản họp" },
    });
    fireEvent.click(button(dialog, "Trả lại"));
    await waitFor(() => expect(sent).toEqual([{ ifMatch: 'W/"4"', body: { reason: "Thiếu biên bản họp" } }]));
    await waitFor(() => expect(table.querySelector(".ant-tag")).toHaveTextContent("Bị trả lại"));
  });

  it("lets a commune officer record a result; the service's field errors go next to the fields", {
    timeout: 40_000,
  }, async () => {
    renderApp({
      path: `/review-campaigns/${CAMPAIGN}?state=draft`,
      user: USERS.commune,
      routes: {
        ...common,
        [`GET ${BASE}/progress`]: () => json(progress(null)),
        [`POST ${BASE}/records`]: () =>
          problem(422, "meeting_agreement_below_threshold", {
            errors: [
              {
                pointer: "/body/meeting_agreement_pct",
                code: "below_threshold",
                message: "needs more than half",
              },
            ],
          }),
      },
    });
    const table = await screen.findByTestId("review-progress");
    await waitFor(() => expect(button(table, "Gửi kết quả")).toBeInTheDocument());
    expect(button(table, "Phê duyệt", false)).toBeNull();
    fireEvent.click(button(document.body, "Ghi kết quả rà soát"));
    const dialog = await openDialog();
    fireEvent.change(within(dialog).getByLabelText("Mã hộ"), {
      target: { value: "0190e1c2-0000-7000-8000-0000000000a1" },
    });
    fireEvent.change(within(dialog).getByLabelText("Tỷ lệ đồng ý"), { target: { value: "40" } });
    const date = within(dialog).getByLabelText("Ngày họp thôn");
    fireEvent.mouseDown(date);
    fireEvent.change(date, { target: { value: "10/10/2026" } });
    fireEvent.keyDown(date, { key: "Enter", code: "Enter", keyCode: 13 });
    fireEvent.click(button(dialog, "Lưu"));
    expect(await within(dialog).findByText("needs more than half")).toBeInTheDocument();
    expect(within(dialog).getByTestId("problem")).toHaveAttribute(
      "data-code",
      "meeting_agreement_below_threshold",
    );
  });
});
