/** The land-use plan form: values, rules (the service's too: an approved or superseded plan needs its
 * decision), and the API bodies. */
import { z } from "zod";
import type { components } from "@/api/inspection";
import { msg } from "@/lib/messages";

export type LandUsePlan = components["schemas"]["LandUsePlanRead"];
export type LandUsePlanLevel = components["schemas"]["LandUsePlanLevel"];
export type LandUsePlanStatus = components["schemas"]["LandUsePlanStatus"];
type CreateBody = components["schemas"]["LandUsePlanCreate"];
type UpdateBody = components["schemas"]["LandUsePlanUpdate"];

export const PLAN_LEVELS = ["general", "zoning", "detailed"] as const satisfies readonly LandUsePlanLevel[];
export const PLAN_STATUSES = [
  "draft",
  "approved",
  "superseded",
] as const satisfies readonly LandUsePlanStatus[];
const MAX_M2 = 100_000_000_000;

const text = (max: number) => z.string().trim().max(max, msg("validation.tooLong", { max }));

export const landUsePlanSchema = z
  .object({
    province_code: z.string().regex(/^\d{2}$/, msg("validation.provinceCode")),
    commune_code: z.string().regex(/^(\d{5})?$/, msg("validation.communeCode")),
    legacy_area_code: text(16),
    name: z
      .string()
      .trim()
      .min(1, msg("validation.required"))
      .max(300, msg("validation.tooLong", { max: 300 })),
    level: z
      .string()
      .refine((v) => (PLAN_LEVELS as readonly string[]).includes(v), msg("validation.required")),
    status: z.enum(PLAN_STATUSES),
    decision_number: text(50),
    decision_date: z.string(),
    approved_by: text(200),
    social_housing_land_m2: z
      .number(msg("validation.wholeNumber"))
      .int(msg("validation.wholeNumber"))
      .min(0, msg("validation.wholeNumber"))
      .max(MAX_M2, msg("validation.tooLarge"))
      .nullable(),
  })
  .superRefine((values, ctx) => {
    if (values.status === "draft") return;
    if (!values.decision_number.trim()) {
      ctx.addIssue({
        code: "custom",
        path: ["decision_number"],
        message: msg("validation.decisionRequired"),
      });
    }
    if (!values.decision_date) {
      ctx.addIssue({ code: "custom", path: ["decision_date"], message: msg("validation.decisionRequired") });
    }
  });

export type LandUsePlanValues = z.infer<typeof landUsePlanSchema>;
export const LAND_USE_PLAN_FIELDS = [
  "province_code",
  "commune_code",
  "legacy_area_code",
  "name",
  "level",
  "status",
  "decision_number",
  "decision_date",
  "approved_by",
  "social_housing_land_m2",
] as const;

export function emptyLandUsePlan(provinceCode = ""): LandUsePlanValues {
  return {
    province_code: provinceCode,
    commune_code: "",
    legacy_area_code: "",
    name: "",
    level: "",
    status: "draft",
    decision_number: "",
    decision_date: "",
    approved_by: "",
    social_housing_land_m2: null,
  };
}

export function landUsePlanValues(plan: LandUsePlan): LandUsePlanValues {
  return {
    province_code: plan.province_code,
    commune_code: plan.commune_code ?? "",
    legacy_area_code: plan.legacy_area_code ?? "",
    name: plan.name,
    level: plan.level,
    status: plan.status,
    decision_number: plan.decision_number ?? "",
    decision_date: plan.decision_date ?? "",
    approved_by: plan.approved_by ?? "",
    social_housing_land_m2: plan.social_housing_land_m2,
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

export function createBody(values: LandUsePlanValues): CreateBody {
  return {
    province_code: values.province_code,
    commune_code: orNull(values.commune_code),
    legacy_area_code: orNull(values.legacy_area_code),
    name: values.name.trim(),
    level: values.level as LandUsePlanLevel,
    status: values.status,
    decision_number: orNull(values.decision_number),
    decision_date: orNull(values.decision_date),
    approved_by: orNull(values.approved_by),
    social_housing_land_m2: values.social_housing_land_m2,
  };
}

/** Only what changed; the area (province, commune, legacy code) cannot change. */
export function updateBody(values: LandUsePlanValues, initial: LandUsePlanValues): UpdateBody {
  const body: UpdateBody = {};
  if (values.name.trim() !== initial.name) body.name = values.name.trim();
  if (values.level !== initial.level) body.level = values.level as LandUsePlanLevel;
  if (values.status !== initial.status) body.status = values.status;
  for (const key of ["decision_number", "decision_date", "approved_by"] as const) {
    if (orNull(values[key]) !== orNull(initial[key])) body[key] = orNull(values[key]);
  }
  if (values.social_housing_land_m2 !== initial.social_housing_land_m2) {
    body.social_housing_land_m2 = values.social_housing_land_m2;
  }
  return body;
}
