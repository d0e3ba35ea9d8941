/** Commercial project and land-reserve obligation forms: values, rules, bodies. */
import { z } from "zod";
import type { components } from "@/api/inspection";
import { msg } from "@/lib/messages";

type S = components["schemas"];
const text = (max: number) =>
  z.string().trim().min(1, msg("validation.required")).max(max, msg("validation.tooLong", { max }));
const optionalDate = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, msg("fieldErrors.date_parsing"));
const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
const area = z
  .number({ error: msg("validation.required") })
  .positive(msg("validation.wholeNumber"))
  .max(1e9, msg("validation.tooLarge"));

export const COMMERCIAL_KINDS = ["commercial_housing", "urban_area"] as const;
export const LAND_RESERVE_METHODS = ["reserve_land", "land_elsewhere", "pay_money"] as const;

export const commercialProjectSchema = z
  .object({
    province_code: z.string().regex(/^\d{2}$/, msg("validation.provinceCode")),
    commune_code: z.string().regex(/^\d{5}$/, msg("validation.communeCode")),
    name: text(300),
    investor_name: text(300),
    kind: z.enum(COMMERCIAL_KINDS, { error: msg("validation.required") }),
    residential_land_m2: area,
    total_land_m2: area.nullable(),
    approval_decision: z
      .string()
      .trim()
      .max(100, msg("validation.tooLong", { max: 100 })),
    approved_on: optionalDate,
  })
  .refine((v) => v.total_land_m2 === null || v.total_land_m2 >= v.residential_land_m2, {
    path: ["total_land_m2"],
    message: msg("creates.landReserve.totalBelowResidential"),
  });
export type CommercialProjectValues = z.infer<typeof commercialProjectSchema>;
export const COMMERCIAL_PROJECT_FIELDS = [
  "province_code",
  "commune_code",
  "name",
  "investor_name",
  "kind",
  "residential_land_m2",
  "total_land_m2",
  "approval_decision",
  "approved_on",
];

export function emptyCommercialProject(provinceCode: string): CommercialProjectValues {
  return {
    province_code: provinceCode,
    commune_code: "",
    name: "",
    investor_name: "",
    kind: "commercial_housing",
    residential_land_m2: 0,
    total_land_m2: null,
    approval_decision: "",
    approved_on: "",
  };
}

export function commercialProjectBody(v: CommercialProjectValues): S["CommercialProjectCreate"] {
  return {
    province_code: v.province_code,
    commune_code: v.commune_code,
    name: v.name.trim(),
    investor_name: v.investor_name.trim(),
    kind: v.kind,
    residential_land_m2: v.residential_land_m2,
    total_land_m2: v.total_land_m2,
    approval_decision: orNull(v.approval_decision),
    approved_on: orNull(v.approved_on),
  };
}

export const obligationSchema = z
  .object({
    commercial_project_id: z.string().min(1, msg("validation.required")),
    method: z.enum(LAND_RESERVE_METHODS, { error: msg("validation.required") }),
    decided_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.required")),
    decision_number: z
      .string()
      .trim()
      .max(100, msg("validation.tooLong", { max: 100 })),
    land_price_vnd_per_m2: z.number().int(msg("validation.wholeNumber")).min(0).nullable(),
    payment_due: optionalDate,
    started_due: optionalDate,
  })
  .refine((v) => v.method !== "pay_money" || v.payment_due !== "", {
    path: ["payment_due"],
    message: msg("validation.required"),
  });
export type ObligationValues = z.infer<typeof obligationSchema>;
export const OBLIGATION_FIELDS = [
  "commercial_project_id",
  "method",
  "decided_on",
  "decision_number",
  "land_price_vnd_per_m2",
  "payment_due",
  "started_due",
];

export function emptyObligation(projectId = ""): ObligationValues {
  return {
    commercial_project_id: projectId,
    method: "reserve_land",
    decided_on: "",
    decision_number: "",
    land_price_vnd_per_m2: null,
    payment_due: "",
    started_due: "",
  };
}

/** A payment deadline and a land price belong to paying money; the others keep to the land. */
export function obligationBody(v: ObligationValues): S["ObligationCreate"] {
  const paying = v.method === "pay_money";
  return {
    commercial_project_id: v.commercial_project_id,
    method: v.method,
    decided_on: v.decided_on,
    decision_number: orNull(v.decision_number),
    land_price_vnd_per_m2: paying ? v.land_price_vnd_per_m2 : null,
    payment_due: paying ? orNull(v.payment_due) : null,
    started_due: paying ? null : orNull(v.started_due),
  };
}
