import { describe, expect, it } from "vitest";
import { createBody, emptyLandUsePlan, landUsePlanSchema, landUsePlanValues, updateBody } from "./schema";

const valid = { ...emptyLandUsePlan("31"), name: "Quy hoạch chi tiết khu A", level: "detailed" };

describe("land-use plan form", () => {
  it("accepts a draft plan without its decision", () => {
    expect(landUsePlanSchema.safeParse(valid).success).toBe(true);
  });

  it("asks an approved plan for its decision number and date, as the service does", () => {
    const result = landUsePlanSchema.safeParse({ ...valid, status: "approved" });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(["decision_number", "decision_date"]);
    const ok = landUsePlanSchema.safeParse({
      ...valid,
      status: "approved",
      decision_number: "15/QĐ",
      decision_date: "2026-03-15",
    });
    expect(ok.success).toBe(true);
  });

  it("checks codes and the area as whole square metres", () => {
    const bad = landUsePlanSchema.safeParse({ ...valid, commune_code: "1052", social_housing_land_m2: 12.5 });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual([
      "commune_code",
      "social_housing_land_m2",
    ]);
  });

  it("builds the create body (empty text is null) and an update of only the changed fields", () => {
    expect(createBody({ ...valid, commune_code: "10525", social_housing_land_m2: 12500 })).toEqual({
      province_code: "31",
      commune_code: "10525",
      legacy_area_code: null,
      name: "Quy hoạch chi tiết khu A",
      level: "detailed",
      status: "draft",
      decision_number: null,
      decision_date: null,
      approved_by: null,
      social_housing_land_m2: 12500,
    });
    const initial = landUsePlanValues({
      id: "x",
      province_code: "31",
      commune_code: "10525",
      legacy_area_code: null,
      name: "A",
      level: "general",
      status: "draft",
      decision_number: "1/QĐ",
      decision_date: null,
      approved_by: null,
      social_housing_land_m2: null,
      version: 1,
      created_at: "",
      updated_at: "",
    });
    expect(updateBody({ ...initial, status: "approved", decision_number: "" }, initial)).toEqual({
      status: "approved",
      decision_number: null,
    });
    expect(updateBody(initial, initial)).toEqual({});
  });
});
