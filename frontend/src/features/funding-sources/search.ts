import { z } from "zod";
import { FUNDING_KINDS } from "./schema";

export const fundingSourcesSearchSchema = z.object({
  kind: z.enum(FUNDING_KINDS).optional().catch(undefined),
  active: z.enum(["true", "false"]).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});

export type FundingSourcesSearch = z.infer<typeof fundingSourcesSearchSchema>;
