import { z } from "zod";

export const entrustmentsSearchSchema = z.object({
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type EntrustmentsSearch = z.infer<typeof entrustmentsSearchSchema>;
