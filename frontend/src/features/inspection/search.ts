import { z } from "zod";

const paging = {
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
};
const bool = z.enum(["true", "false"]).optional().catch(undefined);

export const FLAG_STATUSES = ["open", "confirmed", "dismissed"] as const;
export const FLAG_KINDS = [
  "supported_twice",
  "ineligible_application",
  "resale_within_lock",
  "multiple_open_applications",
  "loan_unknown_borrower",
  "loan_ineligible_borrower",
  "land_reserve_overdue",
] as const;
export const CASE_STATUSES = [
  "planned",
  "assigned",
  "in_progress",
  "concluded",
  "sanctioned",
  "follow_up",
  "closed",
] as const;
export const CASE_KINDS = ["construction_check", "inspectorate_inspection"] as const;
export const OBLIGATION_STATUSES = [
  "reserved_in_plan",
  "infrastructure_built",
  "cleared",
  "investor_assigned",
  "started",
  "awaiting_payment",
  "paid",
] as const;
export const METHODS = ["reserve_land", "land_elsewhere", "pay_money"] as const;
export const OUTCOMES = ["compliant", "non_compliant", "not_applicable", "observation"] as const;

export const flagsSearchSchema = z.object({
  status: z.enum(FLAG_STATUSES).optional().catch(undefined),
  kind: z.enum(FLAG_KINDS).optional().catch(undefined),
  ...paging,
});
export type FlagsSearch = z.infer<typeof flagsSearchSchema>;

export const casesSearchSchema = z.object({
  status: z.enum(CASE_STATUSES).optional().catch(undefined),
  kind: z.enum(CASE_KINDS).optional().catch(undefined),
  mine: bool,
  ...paging,
});
export type CasesSearch = z.infer<typeof casesSearchSchema>;

export const obligationsSearchSchema = z.object({
  status: z.enum(OBLIGATION_STATUSES).optional().catch(undefined),
  method: z.enum(METHODS).optional().catch(undefined),
  overdue: bool,
  commercial_project_id: z.string().uuid().optional().catch(undefined),
  ...paging,
});
export type ObligationsSearch = z.infer<typeof obligationsSearchSchema>;

export const PROJECT_KINDS = ["commercial_housing", "urban_area"] as const;
export const projectsSearchSchema = z.object({
  kind: z.enum(PROJECT_KINDS).optional().catch(undefined),
  ...paging,
});
export type ProjectsSearch = z.infer<typeof projectsSearchSchema>;
