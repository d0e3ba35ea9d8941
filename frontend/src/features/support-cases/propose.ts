/** Proposing a support case for a household: form values, rules, the POST body, and the stored
 * support amount that would apply (the service picks it by programme, kind and day). */
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import type { Api } from "@/api/client";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import { msg } from "@/lib/messages";
import { KINDS, STREAMS } from "./search";

type S = components["schemas"];
export type SupportRate = S["SupportRateRead"];

export const proposeSchema = z.object({
  household_id: z.string().uuid(msg("validation.required")),
  stream: z.enum(STREAMS, { error: msg("validation.required") }),
  kind: z.enum(KINDS, { error: msg("validation.required") }),
  proposed_on: z
    .string()
    .refine((v) => v === "" || /^\d{4}-\d{2}-\d{2}$/.test(v), msg("householdForms.validation.date")),
  note: z
    .string()
    .trim()
    .max(2000, msg("validation.tooLong", { max: 2000 })),
});
export type ProposeValues = z.infer<typeof proposeSchema>;
export const PROPOSE_FIELDS = ["household_id", "stream", "kind", "proposed_on", "note"] as const;

export function emptyProposal(householdId = ""): ProposeValues {
  return { household_id: householdId, stream: "campaign", kind: "repair", proposed_on: "", note: "" };
}

export function proposeBody(v: ProposeValues): S["SupportCaseCreate"] {
  return {
    household_id: v.household_id,
    stream: v.stream,
    kind: v.kind,
    ...(v.proposed_on ? { proposed_on: v.proposed_on } : {}),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}

/** The stored amounts (a handful of dated rows). */
export function supportRatesQuery(api: Api) {
  return queryOptions({
    queryKey: ["registry", "support-rates"],
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/v1/support-rates", { params: { query: { limit: 100 } }, signal })),
    staleTime: 60 * 60 * 1000,
  });
}

/** The rate valid for the programme and kind on that day, as the service would choose it. */
export function applicableRate(
  rates: readonly SupportRate[],
  stream: string,
  kind: string,
  on: string,
): SupportRate | null {
  return (
    rates.find(
      (r) =>
        r.stream === stream &&
        r.kind === kind &&
        r.valid_from <= on &&
        (r.valid_to === null || on <= r.valid_to),
    ) ?? null
  );
}
