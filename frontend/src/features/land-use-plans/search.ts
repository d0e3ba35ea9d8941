import { z } from "zod";
import { PLAN_LEVELS, PLAN_STATUSES } from "./schema";

export const landUsePlansSearchSchema = z.object({
  level: z.enum(PLAN_LEVELS).optional().catch(undefined),
  status: z.enum(PLAN_STATUSES).optional().catch(undefined),
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});

export type LandUsePlansSearch = z.infer<typeof landUsePlansSearchSchema>;
