import { z } from "zod";

const cursor = z.string().max(512).optional().catch(undefined);
const page = z.coerce.number().int().min(1).max(100000).optional().catch(undefined);

export const PROJECT_KINDS = ["sale", "lease_purchase", "rent", "worker_accommodation"] as const;
export const MILESTONES = ["approved", "started", "completed", "handed_over"] as const;
export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "eligible",
  "ineligible",
  "allocated",
  "withdrawn",
] as const;

export const projectsSearchSchema = z.object({
  commune_code: z
    .string()
    .regex(/^\d{5}$/)
    .optional()
    .catch(undefined),
  kind: z.enum(PROJECT_KINDS).optional().catch(undefined),
  cursor,
  page,
});
export type ProjectsSearch = z.infer<typeof projectsSearchSchema>;

export const roundsSearchSchema = z.object({ cursor, page });
export type RoundsSearch = z.infer<typeof roundsSearchSchema>;

export const applicationsSearchSchema = z.object({
  status: z.enum(APPLICATION_STATUSES).optional().catch(undefined),
  cursor,
  page,
});
export type ApplicationsSearch = z.infer<typeof applicationsSearchSchema>;
