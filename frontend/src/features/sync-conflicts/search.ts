import { z } from "zod";

export const CONFLICT_STATUSES = ["open", "resolved"] as const;

export const conflictsSearchSchema = z.object({
  status: z.enum(CONFLICT_STATUSES).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type ConflictsSearch = z.infer<typeof conflictsSearchSchema>;
