/** VBSP entrustment forms: contract, transfer, utilisation report. */
import { z } from "zod";
import type { components } from "@/api/funding";
import { msg } from "@/lib/messages";

type S = components["schemas"];
const text = (max: number) =>
  z.string().trim().min(1, msg("validation.required")).max(max, msg("validation.tooLong", { max }));
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.required"));
const money = (min = 0) =>
  z
    .number({ error: msg("validation.required") })
    .int(msg("validation.wholeNumber"))
    .min(min, msg("validation.wholeNumber"))
    .max(Number.MAX_SAFE_INTEGER, msg("validation.tooLarge"));
const note = z
  .string()
  .trim()
  .max(2000, msg("validation.tooLong", { max: 2000 }));
const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
const periodOrder = { path: ["period_end"], message: msg("creates.campaign.windowOrder") };

export const contractSchema = z
  .object({
    province_code: z.string().regex(/^\d{2}$/, msg("validation.provinceCode")),
    contract_number: text(100),
    signed_on: day,
    entrusting_party: text(300),
    bank_branch: text(300),
    amount_vnd: money(1),
    period_start: day,
    period_end: day,
    legal_basis: text(500),
    note,
  })
  .refine((v) => v.period_start < v.period_end, periodOrder);
export type ContractValues = z.infer<typeof contractSchema>;
export const CONTRACT_FIELDS = [
  "province_code",
  "contract_number",
  "signed_on",
  "entrusting_party",
  "bank_branch",
  "amount_vnd",
  "period_start",
  "period_end",
  "legal_basis",
  "note",
];
export function emptyContract(provinceCode: string): ContractValues {
  return {
    province_code: provinceCode,
    contract_number: "",
    signed_on: "",
    entrusting_party: "",
    bank_branch: "",
    amount_vnd: 0,
    period_start: "",
    period_end: "",
    legal_basis: "",
    note: "",
  };
}
export function contractBody(v: ContractValues): S["ContractCreate"] {
  return {
    ...v,
    contract_number: v.contract_number.trim(),
    entrusting_party: v.entrusting_party.trim(),
    bank_branch: v.bank_branch.trim(),
    legal_basis: v.legal_basis.trim(),
    note: orNull(v.note),
  };
}

export const transferSchema = z.object({
  fiscal_year: money(2000).max(2100, msg("validation.tooLarge")),
  amount_vnd: money(1),
  decision_number: text(100),
  decision_date: day,
  transferred_on: day,
  note,
});
export type TransferValues = z.infer<typeof transferSchema>;
export const TRANSFER_FIELDS = Object.keys(transferSchema.shape);
export function emptyTransfer(year: number): TransferValues {
  return {
    fiscal_year: year,
    amount_vnd: 0,
    decision_number: "",
    decision_date: "",
    transferred_on: "",
    note: "",
  };
}
export function transferBody(v: TransferValues): S["TransferCreate"] {
  return { ...v, decision_number: v.decision_number.trim(), note: orNull(v.note) };
}

export const reportSchema = z
  .object({
    period_start: day,
    period_end: day,
    lent_vnd: money(),
    borrowers: money(),
    outstanding_vnd: money(),
    repaid_vnd: money(),
    returned_vnd: money(),
    note,
  })
  .refine((v) => v.period_start < v.period_end, periodOrder);
export type ReportValues = z.infer<typeof reportSchema>;
export const REPORT_FIELDS = [
  "period_start",
  "period_end",
  "lent_vnd",
  "borrowers",
  "outstanding_vnd",
  "repaid_vnd",
  "returned_vnd",
  "note",
];
export function emptyReport(): ReportValues {
  return {
    period_start: "",
    period_end: "",
    lent_vnd: 0,
    borrowers: 0,
    outstanding_vnd: 0,
    repaid_vnd: 0,
    returned_vnd: 0,
    note: "",
  };
}
export function reportBody(v: ReportValues): S["UtilisationReportCreate"] {
  return { ...v, note: orNull(v.note) };
}
