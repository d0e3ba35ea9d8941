/** The funding source form: its values, their rules, and the API bodies built from them. */
import { z } from "zod";
import type { components } from "@/api/funding";
import { msg } from "@/lib/messages";

export type FundingSource = components["schemas"]["FundingSourceRead"];
export type FundingSourceKind = components["schemas"]["FundingSourceKind"];
type CreateBody = components["schemas"]["FundingSourceCreate"];
type UpdateBody = components["schemas"]["FundingSourceUpdate"];

export const FUNDING_KINDS = [
  "central_budget",
  "provincial_budget",
  "vbsp_entrusted_budget",
  "socialized_domestic",
  "socialized_foreign",
  "housing_fund",
  "commercial_credit_package",
  "gratitude_fund",
  "fund_for_the_poor",
  "families_and_community",
] as const satisfies readonly FundingSourceKind[];

const optionalText = (max: number) => z.string().trim().max(max, msg("validation.tooLong", { max }));

export const fundingSourceSchema = z.object({
  province_code: z.string().regex(/^\d{2}$/, msg("validation.provinceCode")),
  kind: z
    .string()
    .refine((v) => (FUNDING_KINDS as readonly string[]).includes(v), msg("validation.required")),
  name: z
    .string()
    .trim()
    .min(1, msg("validation.required"))
    .max(200, msg("validation.tooLong", { max: 200 })),
  decision_number: optionalText(50),
  /** "" or YYYY-MM-DD */
  decision_date: z.string(),
  note: optionalText(4000),
  active: z.boolean(),
});

export type FundingSourceValues = z.infer<typeof fundingSourceSchema>;
export const FUNDING_SOURCE_FIELDS = Object.keys(fundingSourceSchema.shape);

export function emptyFundingSource(provinceCode = ""): FundingSourceValues {
  return {
    province_code: provinceCode,
    kind: "",
    name: "",
    decision_number: "",
    decision_date: "",
    note: "",
    active: true,
  };
}

export function fundingSourceValues(source: FundingSource): FundingSourceValues {
  return {
    province_code: source.province_code,
    kind: source.kind,
    name: source.name,
    decision_number: source.decision_number ?? "",
    decision_date: source.decision_date ?? "",
    note: source.note ?? "",
    active: source.active,
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

export function createBody(values: FundingSourceValues): CreateBody {
  return {
    province_code: values.province_code,
    kind: values.kind as FundingSourceKind,
    name: values.name.trim(),
    decision_number: orNull(values.decision_number),
    decision_date: orNull(values.decision_date),
    note: orNull(values.note),
    active: values.active,
  };
}

/** Only what changed ("send only the fields to change"); an emptied optional field is sent as null. */
export function updateBody(values: FundingSourceValues, initial: FundingSourceValues): UpdateBody {
  const body: UpdateBody = {};
  if (values.kind !== initial.kind) body.kind = values.kind as FundingSourceKind;
  if (values.name.trim() !== initial.name) body.name = values.name.trim();
  if (orNull(values.decision_number) !== orNull(initial.decision_number))
    body.decision_number = orNull(values.decision_number);
  if (orNull(values.decision_date) !== orNull(initial.decision_date))
    body.decision_date = orNull(values.decision_date);
  if (orNull(values.note) !== orNull(initial.note)) body.note = orNull(values.note);
  if (values.active !== initial.active) body.active = values.active;
  return body;
}
