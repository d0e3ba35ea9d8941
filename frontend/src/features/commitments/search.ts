import { z } from "zod";

export const COMMITMENT_KINDS = ["pledge", "appropriation"] as const;
export const CONTRIBUTOR_KINDS = [
  "enterprise_domestic",
  "enterprise_foreign",
  "organisation",
  "community",
] as const;

export const commitmentsSearchSchema = z.object({
  tab: z.enum(["commitments", "contributors"]).optional().catch(undefined),
  kind: z.enum(COMMITMENT_KINDS).optional().catch(undefined),
  fiscal_year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type CommitmentsSearch = z.infer<typeof commitmentsSearchSchema>;
