/** The create forms' values, their rules, and the API bodies built from them. */
import { z } from "zod";
import type { components as Inspection } from "@/api/inspection";
import type { components } from "@/api/registry";
import { msg } from "@/lib/messages";

type S = components["schemas"];
const required = (max: number) =>
  z.string().trim().min(1, msg("validation.required")).max(max, msg("validation.tooLong", { max }));
const province = z.string().regex(/^\d{2}$/, msg("validation.provinceCode"));
const commune = z.string().regex(/^\d{5}$/, msg("validation.communeCode"));
const optionalCommune = z.string().regex(/^(\d{5})?$/, msg("validation.communeCode"));
const wholeNumber = (min: number) =>
  z
    .number({ error: msg("validation.required") })
    .int(msg("validation.wholeNumber"))
    .min(min, msg("validation.wholeNumber"))
    .max(2_000_000_000, msg("validation.tooLarge"));
const optionalDate = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, msg("fieldErrors.date_parsing"));
const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

// --- Review campaign --------------------------------------------------------------------------
export const campaignSchema = z
  .object({
    province_code: province,
    year: wholeNumber(2000).max(2100, msg("validation.tooLarge")),
    window_opens_on: optionalDate,
    window_closes_on: optionalDate,
  })
  .refine((v) => !v.window_opens_on || !v.window_closes_on || v.window_opens_on < v.window_closes_on, {
    path: ["window_closes_on"],
    message: msg("creates.campaign.windowOrder"),
  });
export type CampaignValues = z.infer<typeof campaignSchema>;
export const CAMPAIGN_FIELDS = ["province_code", "year", "window_opens_on", "window_closes_on"];

export function emptyCampaign(provinceCode: string, today: Date): CampaignValues {
  return {
    province_code: provinceCode,
    year: today.getFullYear(),
    window_opens_on: "",
    window_closes_on: "",
  };
}

/** Empty window days are left out: the service takes the window of the review rule then. */
export function campaignBody(v: CampaignValues): S["CampaignCreate"] {
  return {
    province_code: v.province_code,
    year: v.year,
    ...(v.window_opens_on ? { window_opens_on: v.window_opens_on } : {}),
    ...(v.window_closes_on ? { window_closes_on: v.window_closes_on } : {}),
  };
}

// --- Housing project --------------------------------------------------------------------------
export const PROJECT_KINDS = ["sale", "lease_purchase", "rent", "worker_accommodation"] as const;
export const UNIT_KINDS = ["apartment", "house", "dormitory_room"] as const;
export const FLOOR_BANDS = ["under_45", "45_to_60", "60_to_70", "over_70"] as const;

export const projectSchema = z.object({
  name: required(300),
  investor: required(300),
  address: required(500),
  province_code: province,
  commune_code: commune,
  kind: z.enum(PROJECT_KINDS, { error: msg("validation.required") }),
  land_area_m2: wholeNumber(1),
  commercial_project_ref: z
    .string()
    .trim()
    .max(100, msg("validation.tooLong", { max: 100 })),
  unit_kind: z.enum(UNIT_KINDS, { error: msg("validation.required") }),
  floor_area_band: z.enum(FLOOR_BANDS, { error: msg("validation.required") }),
  units: wholeNumber(1),
});
export type ProjectValues = z.infer<typeof projectSchema>;
export const PROJECT_FIELDS = Object.keys(projectSchema.shape);

export function emptyProject(provinceCode: string): ProjectValues {
  return {
    name: "",
    investor: "",
    address: "",
    province_code: provinceCode,
    commune_code: "",
    kind: "sale",
    land_area_m2: 0,
    commercial_project_ref: "",
    unit_kind: "apartment",
    floor_area_band: "45_to_60",
    units: 0,
  };
}

/** One planned-units line from the form (more lines are added on the project later). */
export function projectBody(v: ProjectValues): S["HousingProjectCreate"] {
  return {
    name: v.name.trim(),
    investor: v.investor.trim(),
    address: v.address.trim(),
    province_code: v.province_code,
    commune_code: v.commune_code,
    kind: v.kind,
    land_area_m2: v.land_area_m2,
    commercial_project_ref: orNull(v.commercial_project_ref),
    planned_units: [{ unit_kind: v.unit_kind, floor_area_band: v.floor_area_band, units: v.units }],
  };
}

/** A 422 on `planned_units.0.units` belongs to the form's `units` field. */
export function projectField(field: string): string {
  const m = /^planned_units\.\d+\.(unit_kind|floor_area_band|units)$/.exec(field);
  return m?.[1] ?? field;
}

// --- Allocation round -------------------------------------------------------------------------
export const TENURES = ["buy", "lease_purchase", "rent"] as const;
export const roundSchema = z.object({
  project_id: z.string().uuid(msg("creates.round.projectId")),
  tenure: z.enum(TENURES, { error: msg("validation.required") }),
  units: wholeNumber(1),
  published_seed: required(500),
});
export type RoundValues = z.infer<typeof roundSchema>;
export const ROUND_FIELDS = Object.keys(roundSchema.shape);

export function emptyRound(projectId = ""): RoundValues {
  return { project_id: projectId, tenure: "buy", units: 0, published_seed: "" };
}

export function roundBody(v: RoundValues): S["RoundCreate"] {
  return {
    project_id: v.project_id,
    tenure: v.tenure,
    units: v.units,
    published_seed: v.published_seed.trim(),
  };
}

// --- Inspection case --------------------------------------------------------------------------
type I = Inspection["schemas"];
export type InspectionCaseKind = I["inspection_api__models__inspection_case__CaseKind"];

export const inspectionCaseSchema = z.object({
  kind: z.string().min(1, msg("validation.required")),
  title: required(300),
  subject: required(300),
  province_code: province,
  commune_code: optionalCommune,
  due_on: optionalDate,
  assignee: z
    .string()
    .trim()
    .max(200, msg("validation.tooLong", { max: 200 })),
});
export type InspectionCaseValues = z.infer<typeof inspectionCaseSchema>;
export const INSPECTION_CASE_FIELDS = Object.keys(inspectionCaseSchema.shape);

export function emptyInspectionCase(provinceCode: string): InspectionCaseValues {
  return {
    kind: "",
    title: "",
    subject: "",
    province_code: provinceCode,
    commune_code: "",
    due_on: "",
    assignee: "",
  };
}

export function inspectionCaseBody(v: InspectionCaseValues): I["CaseCreate"] {
  return {
    kind: v.kind as InspectionCaseKind,
    title: v.title.trim(),
    subject: v.subject.trim(),
    province_code: v.province_code,
    commune_code: orNull(v.commune_code),
    due_on: orNull(v.due_on),
  };
}

// --- Sale publication -------------------------------------------------------------------------
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.required"));
export const saleSchema = z
  .object({ published_on: day, published_where: required(500), opens_on: day, closes_on: day })
  .refine((v) => v.opens_on <= v.closes_on, {
    path: ["closes_on"],
    message: msg("creates.campaign.windowOrder"),
  });
export type SaleValues = z.infer<typeof saleSchema>;
export const SALE_FIELDS = ["published_on", "published_where", "opens_on", "closes_on"];

export function saleValues(p: {
  sale_published_on?: string | null;
  sale_published_where?: string | null;
  sale_opens_on?: string | null;
  sale_closes_on?: string | null;
}): SaleValues {
  return {
    published_on: p.sale_published_on ?? "",
    published_where: p.sale_published_where ?? "",
    opens_on: p.sale_opens_on ?? "",
    closes_on: p.sale_closes_on ?? "",
  };
}

export function saleBody(v: SaleValues): S["SalePublication"] {
  return { ...v, published_where: v.published_where.trim() };
}
