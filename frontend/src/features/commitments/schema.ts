/** Contributor and commitment forms: values, rules, bodies. */
import { z } from "zod";
import type { components } from "@/api/funding";
import { msg } from "@/lib/messages";
import { COMMITMENT_KINDS, CONTRIBUTOR_KINDS } from "./search";

type S = components["schemas"];
const text = (max: number) =>
  z.string().trim().min(1, msg("validation.required")).max(max, msg("validation.tooLong", { max }));
const optional = (max: number) => z.string().trim().max(max, msg("validation.tooLong", { max }));
const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

export const contributorSchema = z
  .object({
    province_code: z.string().regex(/^\d{2}$/, msg("validation.provinceCode")),
    kind: z.enum(CONTRIBUTOR_KINDS, { error: msg("validation.required") }),
    name: text(300),
    tax_code: z.string().regex(/^(\d{10}(-\d{3})?)?$/, msg("creates.commitments.taxCodeFormat")),
    country_code: z.string().regex(/^([A-Za-z]{2})?$/, msg("creates.commitments.countryFormat")),
    note: optional(2000),
  })
  .refine((v) => v.kind !== "enterprise_foreign" || v.country_code !== "", {
    path: ["country_code"],
    message: msg("validation.required"),
  });
export type ContributorValues = z.infer<typeof contributorSchema>;
export const CONTRIBUTOR_FIELDS = ["province_code", "kind", "name", "tax_code", "country_code", "note"];

export function emptyContributor(provinceCode: string): ContributorValues {
  return {
    province_code: provinceCode,
    kind: "enterprise_domestic",
    name: "",
    tax_code: "",
    country_code: "",
    note: "",
  };
}

export function contributorBody(v: ContributorValues): S["ContributorCreate"] {
  return {
    province_code: v.province_code,
    kind: v.kind,
    name: v.name.trim(),
    tax_code: orNull(v.tax_code),
    country_code: v.country_code ? v.country_code.toUpperCase() : null,
    note: orNull(v.note),
  };
}

export const commitmentSchema = z
  .object({
    source_id: z.string().min(1, msg("validation.required")),
    kind: z.enum(COMMITMENT_KINDS, { error: msg("validation.required") }),
    contributor_id: z.string(),
    fiscal_year: z
      .number({ error: msg("validation.required") })
      .int(msg("validation.wholeNumber"))
      .min(2000, msg("validation.wholeNumber"))
      .max(2100, msg("validation.tooLarge")),
    amount_vnd: z
      .number({ error: msg("validation.required") })
      .int(msg("validation.wholeNumber"))
      .min(1, msg("validation.wholeNumber"))
      .max(Number.MAX_SAFE_INTEGER, msg("validation.tooLarge")),
    decision_number: text(100),
    decision_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.required")),
    decision_issuer: text(300),
    note: optional(2000),
  })
  .refine((v) => v.kind !== "pledge" || v.contributor_id !== "", {
    path: ["contributor_id"],
    message: msg("creates.commitments.pledgeNeedsContributor"),
  });
export type CommitmentValues = z.infer<typeof commitmentSchema>;
export const COMMITMENT_FIELDS = [
  "source_id",
  "kind",
  "contributor_id",
  "fiscal_year",
  "amount_vnd",
  "decision_number",
  "decision_date",
  "decision_issuer",
  "note",
];

export function emptyCommitment(year: number): CommitmentValues {
  return {
    source_id: "",
    kind: "appropriation",
    contributor_id: "",
    fiscal_year: year,
    amount_vnd: 0,
    decision_number: "",
    decision_date: "",
    decision_issuer: "",
    note: "",
  };
}

/** Only a pledge names who pledged; an appropriation never carries a contributor. */
export function commitmentBody(v: CommitmentValues): S["CommitmentCreate"] {
  return {
    source_id: v.source_id,
    kind: v.kind,
    contributor_id: v.kind === "pledge" ? v.contributor_id : null,
    fiscal_year: v.fiscal_year,
    amount_vnd: v.amount_vnd,
    decision_number: v.decision_number.trim(),
    decision_date: v.decision_date,
    decision_issuer: v.decision_issuer.trim(),
    note: orNull(v.note),
  };
}
