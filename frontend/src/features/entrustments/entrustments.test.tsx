import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import {
  contractSchema,
  emptyContract,
  emptyReport,
  emptyTransfer,
  reportBody,
  reportSchema,
  transferBody,
} from "./schema";

const ID = "0190e1c2-0000-7000-8000-0000000d1001";
const BASE = `/api/funding/v1/vbsp-entrustments/${ID}`;
const contract = {
  id: ID,
  province_code: "31",
  contract_number: "01/2026/HĐUT",
  signed_on: "2026-01-10",
  entrusting_party: "UBND thành phố Hải Phòng",
  bank_branch: "NHCSXH chi nhánh Hải Phòng",
  amount_vnd: 50_000_000_000,
  period_start: "2026-01-10",
  period_end: "2030-12-31",
  legal_basis: "NĐ 100/2024/NĐ-CP",
  note: null,
  version: 1,
  created_at: "2026-01-10T00:00:00Z",
  updated_at: "2026-01-10T00:00:00Z",
};
const summary = {
  contract_id: ID,
  entrusted_vnd: 50_000_000_000,
  transferred_vnd: 20_000_000_000,
  not_yet_transferred_vnd: 30_000_000_000,
  lent_vnd: 0,
  repaid_vnd: 0,
  returned_vnd: 0,
  outstanding_vnd: null,
  borrowers: null,
  outstanding_above_transferred: false,
  years: [],
};

describe("VBSP entrustment forms' data", () => {
  it("checks the contract period and the report period", () => {
    const c = {
      ...emptyContract("31"),
      contract_number: "01",
      signed_on: "2026-01-10",
      entrusting_party: "UBND",
      bank_branch: "NHCSXH",
      amount_vnd: 1,
      period_start: "2026-01-10",
      period_end: "2026-01-01",
      legal_basis: "NĐ 100",
    };
    expect(contractSchema.safeParse(c).error?.issues[0]?.path).toEqual(["period_end"]);
    expect(contractSchema.safeParse({ ...c, period_end: "2030-12-31" }).success).toBe(true);
    const r = { ...emptyReport(), period_start: "2026-02-01", period_end: "2026-06-30", borrowers: 3 };
    expect(reportSchema.safeParse(r).success).toBe(true);
    expect(reportBody(r).note).toBeNull();
    expect(transferBody({ ...emptyTransfer(2026), decision_number: " 1/QĐ " }).decision_number).toBe("1/QĐ");
  });
});

describe("VBSP entrustment contract", () => {
  it("shows the summary and sends a utilisation report with one Idempotency-Key across a retry", async () => {
    const keys: (string | null)[] = [];
    renderApp({
      path: `/vbsp-entrustments/${ID}`,
      user: USERS.finance,
      routes: {
        [`GET ${BASE}`]: () => json(contract),
        [`GET ${BASE}/summary`]: () => json(summary),
        [`GET ${BASE}/transfers`]: () => json({ items: [], next_cursor: null }),
        [`GET ${BASE}/utilisation-reports`]: () => json({ items: [], next_cursor: null }),
        [`POST ${BASE}/utilisation-reports`]: (request) => {
          keys.push(request.headers.get("Idempotency-Key"));
          return keys.length === 1
            ? problem(503, "service_unavailable")
            : json({ id: "r1" }, { status: 201 });
        },
      },
    });
    expect(await screen.findByTestId("entrustment-summary")).toHaveTextContent("30.000.000.000");
    fireEvent.click(screen.getByRole("button", { name: "Nộp báo cáo sử dụng" }));
    const modal = await dialog();
    fireEvent.change(within(modal).getByLabelText("Từ ngày"), { target: { value: "2026-02-01" } });
    fireEvent.change(within(modal).getByLabelText("Đến ngày"), { target: { value: "2026-06-30" } });
    fireEvent.click(button(modal, "Nộp báo cáo sử dụng"));
    await waitFor(() => expect(keys).toHaveLength(1));
    await within(modal).findByRole("alert");
    fireEvent.click(button(modal, "Nộp báo cáo sử dụng"));
    await waitFor(() => expect(keys).toHaveLength(2));
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(await screen.findByText("Đã nhận báo cáo.")).toBeInTheDocument();
  });

  it("offers a province officer no writes", async () => {
    renderApp({
      path: `/vbsp-entrustments/${ID}`,
      user: USERS.province,
      routes: {
        [`GET ${BASE}`]: () => json(contract),
        [`GET ${BASE}/summary`]: () => json(summary),
        [`GET ${BASE}/transfers`]: () => json({ items: [], next_cursor: null }),
        [`GET ${BASE}/utilisation-reports`]: () => json({ items: [], next_cursor: null }),
      },
    });
    await screen.findByTestId("entrustment-summary");
    expect(screen.queryByRole("button", { name: "Nộp báo cáo sử dụng" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Ghi nhận chuyển vốn" })).toBeNull();
  });
});
