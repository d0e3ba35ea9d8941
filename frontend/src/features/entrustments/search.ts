import { z } from "zod";

export const entrustmentsSearchSchema = z.object({
  cursor: z.string().max(512).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type EntrustmentsSearch = z.infer<typeof entrustmentsSearchSchema>;

/** A contract's page: its transfers and its reports page apart, each under its own prefix. */
const cursor = z.string().max(512).optional().catch(undefined);
const page = z.coerce.number().int().min(1).max(100000).optional().catch(undefined);
export const entrustmentSearchSchema = z.object({
  transfers_cursor: cursor,
  transfers_page: page,
  reports_cursor: cursor,
  reports_page: page,
});
export type EntrustmentSearch = z.infer<typeof entrustmentSearchSchema>;
