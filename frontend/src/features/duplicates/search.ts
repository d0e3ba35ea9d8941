import { z } from "zod";

export const DUPLICATE_STATUSES = ["pending", "merged", "kept_separate"] as const;

export const duplicatesSearchSchema = z.object({
  status: z.enum(DUPLICATE_STATUSES).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type DuplicatesSearch = z.infer<typeof duplicatesSearchSchema>;
