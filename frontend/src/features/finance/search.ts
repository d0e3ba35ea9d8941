import { z } from "zod";

const uuid = z.string().uuid().optional().catch(undefined);
const paging = {
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
};

export const TARGETS = ["support_case", "housing_project", "programme"] as const;
export const ACCOUNT_KINDS = ["source_inflow", "source_cash", "allocation", "disbursed"] as const;
export const LOAN_STATUSES = ["applied", "approved", "rejected", "active", "overdue", "settled"] as const;
export const ELIGIBILITIES = ["pending", "confirmed", "ineligible", "unknown_borrower"] as const;
export const EXCEPTION_REASONS = [
  "unknown_borrower",
  "ineligible_borrower",
  "cap_exceeded",
  "rate_mismatch",
] as const;
export const EXCEPTION_STATUSES = ["open", "resolved", "dismissed"] as const;
export const DIRECTIONS = ["inflow", "outflow"] as const;

export const allocationsSearchSchema = z.object({
  target_kind: z.enum(TARGETS).optional().catch(undefined),
  source_id: uuid,
  support_case_id: uuid,
  ...paging,
});
export type AllocationsSearch = z.infer<typeof allocationsSearchSchema>;

export const allocationCreateSearchSchema = z.object({ support_case_id: uuid });

export const ledgerSearchSchema = z.object({
  kind: z.enum(ACCOUNT_KINDS).optional().catch(undefined),
  source_id: uuid,
  ...paging,
});
export type LedgerSearch = z.infer<typeof ledgerSearchSchema>;

export const loansSearchSchema = z.object({
  status: z.enum(LOAN_STATUSES).optional().catch(undefined),
  eligibility_status: z.enum(ELIGIBILITIES).optional().catch(undefined),
  ...paging,
});
export type LoansSearch = z.infer<typeof loansSearchSchema>;

/** A loan's page: its bank events page by cursor under `events_`. */
export const loanSearchSchema = z.object({
  events_cursor: z.string().max(512).optional().catch(undefined),
  events_page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type LoanSearch = z.infer<typeof loanSearchSchema>;

export const exceptionsSearchSchema = z.object({
  reason: z.enum(EXCEPTION_REASONS).optional().catch(undefined),
  status: z.enum(EXCEPTION_STATUSES).optional().catch(undefined),
  ...paging,
});
export type ExceptionsSearch = z.infer<typeof exceptionsSearchSchema>;

export const fundSearchSchema = z.object({
  direction: z.enum(DIRECTIONS).optional().catch(undefined),
  ...paging,
});
export type FundSearch = z.infer<typeof fundSearchSchema>;

export const reportsSearchSchema = z.object({
  fiscal_year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
});
export type ReportsSearch = z.infer<typeof reportsSearchSchema>;
