import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button } from "@/test/fast";
import { json, renderApp, USERS } from "@/test/harness";

const LOAN = "0190e1c2-0000-7000-8000-0000000000b1";
const loan = {
  id: LOAN,
  bank_loan_ref: "VBSP-HP-0001",
  province_code: "31",
  commune_code: "10525",
  borrower_citizen_id_masked: "*********456",
  purpose: "repair",
  contract_value_vnd: null,
  estimate_vnd: 60_000_000,
  status: "disbursed",
  approved_amount_vnd: 50_000_000,
  disbursed_vnd: 50_000_000,
  repaid_vnd: 0,
  outstanding_vnd: 50_000_000,
  overdue_vnd: 0,
  rate_bp: 660,
  first_disbursed_on: "2026-03-01",
  events_applied: 130,
  last_sequence: 130,
  eligibility_status: "confirmed",
  eligibility_confirmation_id: null,
  version: 1,
  created_at: "2026-03-01T00:00:00Z",
  updated_at: "2026-03-01T00:00:00Z",
};
const event = (n: number) => ({
  id: `e${n}`,
  loan_id: LOAN,
  bank_event_id: `b${n}`,
  bank_sequence: n,
  occurred_at: "2026-03-01T03:00:00Z",
  event_type: "repayment",
  amount_vnd: 1_000_000,
  rate_bp: null,
  received_at: "2026-03-01T03:00:00Z",
});

describe("a loan's bank events", () => {
  it("page by cursor beyond the first page, the cursor in the URL", { timeout: 40_000 }, async () => {
    const app = renderApp({
      path: `/loans/${LOAN}`,
      user: USERS.finance,
      routes: {
        [`GET /api/funding/v1/loans/${LOAN}`]: () => json(loan),
        [`GET /api/funding/v1/loans/${LOAN}/events`]: (_r, url) =>
          url.searchParams.get("cursor") === "c2"
            ? json({ items: [event(51)], next_cursor: null })
            : json({ items: [event(1), event(2)], next_cursor: "c2" }),
      },
    });
    expect(await screen.findByText("VBSP-HP-0001", { exact: false })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText("2")).toBeInTheDocument());
    fireEvent.click(button(document.body, "Trang sau"));
    expect(await screen.findByText("51")).toBeInTheDocument();
    expect(app.router.state.location.searchStr).toBe("?events_cursor=c2&events_page=2");
    const asked = app.calls.filter((c) => c.url.includes("/events")).map((c) => new URL(c.url).searchParams);
    expect(asked.every((q) => q.get("limit") === "50")).toBe(true);
    fireEvent.click(button(document.body, "Trang trước"));
    await waitFor(() => expect(app.router.state.location.searchStr).toBe(""));
    expect(await screen.findByText("2")).toBeInTheDocument();
  });
});
