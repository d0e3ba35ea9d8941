import { z } from "zod";

export const householdsSearchSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  commune_code: z
    .string()
    .regex(/^\d{5}$/)
    .optional()
    .catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});

export type HouseholdsSearch = z.infer<typeof householdsSearchSchema>;
