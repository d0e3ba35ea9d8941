import { z } from "zod";

/** The administration lists keep their page in the URL, like every list. */
export const adminPageSearchSchema = z.object({
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});

export type AdminPageSearch = z.infer<typeof adminPageSearchSchema>;
