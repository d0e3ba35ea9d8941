import { z } from "zod";

export const PERIODS = ["2021-2025", "2026-2030", "2021-2030"] as const;
export const BOUNDARIES = ["new", "old"] as const;
export const INTERVALS = ["month", "quarter", "year"] as const;

/** The dashboard's choices live in the URL, so a view can be shared. */
export const dashboardSearchSchema = z.object({
  period: z.enum(PERIODS).optional().catch(undefined),
  boundaries: z.enum(BOUNDARIES).optional().catch(undefined),
  interval: z.enum(INTERVALS).optional().catch(undefined),
});

export type DashboardSearch = z.infer<typeof dashboardSearchSchema>;
export type Period = (typeof PERIODS)[number];
export type BoundariesValue = (typeof BOUNDARIES)[number];
