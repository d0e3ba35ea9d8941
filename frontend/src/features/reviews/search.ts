import { z } from "zod";

const cursor = z.string().max(512).optional().catch(undefined);
const page = z.coerce.number().int().min(1).max(100000).optional().catch(undefined);
const commune = z
  .string()
  .regex(/^\d{5}$/)
  .optional()
  .catch(undefined);

export const STATES = ["draft", "submitted", "approved", "returned"] as const;
export const RECORD_KINDS = ["new_case", "status_change", "no_change"] as const;
export const REVIEW_STATUSES = ["poor", "near_poor", "none"] as const;

export const campaignsSearchSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  cursor,
  page,
});
export type CampaignsSearch = z.infer<typeof campaignsSearchSchema>;

export const campaignSearchSchema = z.object({
  commune_code: commune,
  state: z.enum(STATES).optional().catch(undefined),
  cursor,
  page,
});
export type CampaignSearch = z.infer<typeof campaignSearchSchema>;
