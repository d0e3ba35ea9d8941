import { describe, expect, it } from "vitest";
import {
  commercialProjectBody,
  commercialProjectSchema,
  emptyCommercialProject,
  emptyObligation,
  obligationBody,
  obligationSchema,
} from "./landReserveSchemas";

describe("land-reserve forms' data", () => {
  it("keeps the total land at least the residential land", () => {
    const v = {
      ...emptyCommercialProject("31"),
      commune_code: "10525",
      name: "KĐT Bắc sông Cấm",
      investor_name: "Công ty B",
      residential_land_m2: 50_000,
    };
    expect(commercialProjectSchema.safeParse(v).success).toBe(true);
    expect(commercialProjectSchema.safeParse({ ...v, total_land_m2: 10_000 }).error?.issues[0]?.path).toEqual(
      ["total_land_m2"],
    );
    expect(commercialProjectBody(v)).toMatchObject({
      approval_decision: null,
      approved_on: null,
      total_land_m2: null,
    });
  });

  it("asks a money payment for its deadline and keeps land fields off it", () => {
    const v = { ...emptyObligation("p1"), decided_on: "2026-05-01", started_due: "2027-01-01" };
    expect(obligationSchema.safeParse(v).success).toBe(true);
    expect(obligationBody(v)).toMatchObject({
      method: "reserve_land",
      started_due: "2027-01-01",
      payment_due: null,
    });
    const paying = { ...v, method: "pay_money" as const, land_price_vnd_per_m2: 12_000_000 };
    expect(obligationSchema.safeParse(paying).error?.issues[0]?.path).toEqual(["payment_due"]);
    expect(obligationBody({ ...paying, payment_due: "2026-12-31" })).toMatchObject({
      payment_due: "2026-12-31",
      started_due: null,
      land_price_vnd_per_m2: 12_000_000,
    });
  });
});
