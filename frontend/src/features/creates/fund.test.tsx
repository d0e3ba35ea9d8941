import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import {
  emptyMovement,
  localToday,
  movementBody,
  movementSchema,
  reversalBody,
  reversalSchema,
} from "./fundSchemas";

const MOVEMENT = {
  id: "0190e1c2-0000-7000-8000-0000000e0001",
  province_code: "31",
  direction: "inflow",
  category: "donation",
  amount_vnd: 5_000_000_000,
  occurred_on: "2026-10-01",
  document_number: "245/QĐ-UBND",
  document_date: null,
  description: null,
  reverses_id: null,
  obligation_id: null,
  reference_status: null,
  reference_checked_at: null,
  reference_detail: null,
  recorded_by: "taichinh",
  created_at: "2026-10-01T00:00:00Z",
};

describe("housing fund forms' data", () => {
  const base = {
    ...emptyMovement("31", "2026-11-28"),
    category: "donation",
    amount_vnd: 5_000_000_000,
    document_number: "245/QĐ-UBND",
  };

  it("keeps a category to its direction and asks an in-lieu payment for its obligation", () => {
    expect(movementSchema.safeParse(base).success).toBe(true);
    expect(movementSchema.safeParse({ ...base, direction: "outflow" }).success).toBe(false);
    const inLieu = { ...base, category: "in_lieu_land_fund" };
    const refused = movementSchema.safeParse(inLieu);
    expect(refused.error?.issues.map((i) => i.path.join("."))).toEqual(["obligation_id"]);
    const id = "0190e1c2-0000-7000-8000-0000000b0001";
    expect(movementBody({ ...inLieu, obligation_id: id }).obligation_id).toBe(id);
    expect(movementBody({ ...base, obligation_id: id })).toMatchObject({
      obligation_id: null,
      document_date: null,
      description: null,
    });
    expect(movementSchema.safeParse({ ...base, amount_vnd: 1.5 }).success).toBe(false);
  });

  it("needs a reason to reverse", () => {
    const v = { occurred_on: "2026-11-28", document_number: "1/QĐ", document_date: "", description: " " };
    expect(reversalSchema.safeParse(v).success).toBe(false);
    expect(reversalBody({ ...v, description: " nhập nhầm " })).toEqual({
      occurred_on: "2026-11-28",
      document_number: "1/QĐ",
      document_date: null,
      description: "nhập nhầm",
    });
    expect(localToday(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});

describe("housing fund writes", () => {
  const routes = (sent: unknown[]) => ({
    "GET /api/funding/v1/housing-fund/balance": () =>
      json({ province_code: "31", balance_vnd: 5_000_000_000, inflow_vnd: 5_000_000_000, outflow_vnd: 0 }),
    "GET /api/funding/v1/housing-fund/projection": () => json({ province_code: "31", years: [] }),
    "GET /api/funding/v1/housing-fund/movements": () => json({ items: [MOVEMENT], next_cursor: null }),
    [`POST /api/funding/v1/housing-fund/movements/${MOVEMENT.id}/reversal`]: async (request: Request) => {
      sent.push(await request.json());
      return sent.length === 1
        ? problem(409, "movement_already_reversed")
        : json({ ...MOVEMENT, id: "r", direction: "outflow", reverses_id: MOVEMENT.id }, { status: 201 });
    },
  });

  it("lets a finance officer reverse a movement, with the reason required", async () => {
    const sent: unknown[] = [];
    renderApp({ path: "/housing-fund", user: USERS.finance, routes: routes(sent) });
    const table = await screen.findByTestId("fund-movements");
    expect(await within(table).findByText("Tài trợ, ủng hộ")).toBeInTheDocument();
    fireEvent.click(button(table, "Đảo khoản"));
    const modal = await dialog();
    fireEvent.change(within(modal).getByLabelText("Số chứng từ, quyết định"), { target: { value: "9/QĐ" } });
    fireEvent.click(button(modal, "Đảo khoản"));
    expect(await within(modal).findByText("Bắt buộc nhập.")).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    fireEvent.change(within(modal).getByLabelText("Lý do đảo khoản"), { target: { value: "Nhập nhầm" } });
    fireEvent.click(button(modal, "Đảo khoản"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ document_number: "9/QĐ", description: "Nhập nhầm" });
    await within(modal).findByRole("alert");
    fireEvent.click(button(modal, "Đảo khoản"));
    expect(await screen.findByText("Đã đảo khoản.")).toBeInTheDocument();
  });

  it("shows a province officer the fund without writes", async () => {
    renderApp({ path: "/housing-fund", user: USERS.province, routes: routes([]) });
    const table = await screen.findByTestId("fund-movements");
    await within(table).findByText("Tài trợ, ủng hộ");
    expect(button(table, "Đảo khoản", false)).toBeNull();
    expect(screen.queryByRole("button", { name: "Ghi nhận thu, chi" })).toBeNull();
  });
});
