/** Housing-fund movement and reversal forms: values, rules, bodies. */
import { z } from "zod";
import type { components } from "@/api/funding";
import { msg } from "@/lib/messages";

type S = components["schemas"];
export const INFLOW_KINDS = [
  "budget_allocation",
  "in_lieu_land_fund",
  "proceeds",
  "donation",
  "other_inflow",
] as const satisfies readonly S["InflowKind"][];
export const OUTFLOW_PURPOSES = [
  "build_rental_housing",
  "take_over_public_housing",
  "buy_social_housing_units",
  "buy_commercial_housing_for_rent",
  "management_and_operation",
  "other_outflow",
] as const satisfies readonly S["OutflowPurpose"][];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.required"));
const optionalDate = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, msg("fieldErrors.date_parsing"));
const text = (max: number) =>
  z.string().trim().min(1, msg("validation.required")).max(max, msg("validation.tooLong", { max }));

export const movementSchema = z
  .object({
    province_code: z.string().regex(/^\d{2}$/, msg("validation.provinceCode")),
    direction: z.enum(["inflow", "outflow"]),
    category: z.string().min(1, msg("validation.required")),
    amount_vnd: z
      .number({ error: msg("validation.required") })
      .int(msg("validation.wholeNumber"))
      .min(1, msg("validation.wholeNumber"))
      .max(Number.MAX_SAFE_INTEGER, msg("validation.tooLarge")),
    occurred_on: date,
    document_number: text(100),
    document_date: optionalDate,
    description: z
      .string()
      .trim()
      .max(2000, msg("validation.tooLong", { max: 2000 })),
    obligation_id: z.string().trim(),
  })
  .superRefine((v, ctx) => {
    const allowed: readonly string[] = v.direction === "inflow" ? INFLOW_KINDS : OUTFLOW_PURPOSES;
    if (!allowed.includes(v.category))
      ctx.addIssue({ code: "custom", path: ["category"], message: msg("validation.required") });
    const needsObligation = v.category === "in_lieu_land_fund";
    if (needsObligation && !/^[0-9a-f-]{36}$/i.test(v.obligation_id))
      ctx.addIssue({
        code: "custom",
        path: ["obligation_id"],
        message: msg("creates.fund.obligationNeeded"),
      });
  });
export type MovementValues = z.infer<typeof movementSchema>;
export const MOVEMENT_FIELDS = [
  "province_code",
  "direction",
  "category",
  "amount_vnd",
  "occurred_on",
  "document_number",
  "document_date",
  "description",
  "obligation_id",
];

export function emptyMovement(provinceCode: string, today: string): MovementValues {
  return {
    province_code: provinceCode,
    direction: "inflow",
    category: "",
    amount_vnd: 0,
    occurred_on: today,
    document_number: "",
    document_date: "",
    description: "",
    obligation_id: "",
  };
}

/** The obligation is sent only with an in-lieu land fund payment (the service refuses it otherwise). */
export function movementBody(v: MovementValues): S["MovementCreate"] {
  return {
    province_code: v.province_code,
    direction: v.direction,
    category: v.category as S["InflowKind"],
    amount_vnd: v.amount_vnd,
    occurred_on: v.occurred_on,
    document_number: v.document_number.trim(),
    document_date: v.document_date || null,
    description: v.description.trim() || null,
    obligation_id: v.category === "in_lieu_land_fund" ? v.obligation_id.trim() : null,
  };
}

export const reversalSchema = z.object({
  occurred_on: date,
  document_number: text(100),
  document_date: optionalDate,
  description: text(2000),
});
export type ReversalValues = z.infer<typeof reversalSchema>;
export const REVERSAL_FIELDS = Object.keys(reversalSchema.shape);

export function reversalBody(v: ReversalValues): S["funding_api__housing_fund__schemas__ReversalCreate"] {
  return {
    occurred_on: v.occurred_on,
    document_number: v.document_number.trim(),
    document_date: v.document_date || null,
    description: v.description.trim(),
  };
}

/** Today as a local YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
