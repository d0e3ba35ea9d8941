import { z } from "zod";

/** The list's filters and page, as they appear in the URL (bad values are dropped, not fatal). */
export const adminUnitsSearchSchema = z.object({
  parent_code: z
    .string()
    .regex(/^\d{2,5}$/)
    .optional()
    .catch(undefined),
  level: z.enum(["province", "district", "commune"]).optional().catch(undefined),
  scheme: z.enum(["2025", "legacy"]).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});

export type AdminUnitsSearch = z.infer<typeof adminUnitsSearchSchema>;
