import { z } from "zod";

export const STREAMS = ["merit", "target_programme", "campaign", "socialization"] as const;
export const KINDS = ["new_build", "repair"] as const;
export const STATUSES = ["proposed", "approved", "started", "completed", "accepted", "withdrawn"] as const;

export const supportCasesSearchSchema = z.object({
  stream: z.enum(STREAMS).optional().catch(undefined),
  kind: z.enum(KINDS).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  commune_code: z
    .string()
    .regex(/^\d{5}$/)
    .optional()
    .catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});

export type SupportCasesSearch = z.infer<typeof supportCasesSearchSchema>;
