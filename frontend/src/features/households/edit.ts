/** Editing a household's address and residence area: form values, rules and the PATCH body (only
 * what changed). */
import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import type { Api } from "@/api/client";
import { unwrapWithEtag } from "@/api/problem";
import type { components } from "@/api/registry";
import { msg } from "@/lib/messages";
import { householdsKey } from "./queries";

type HouseholdDetail = components["schemas"]["HouseholdDetail"];
type UpdateBody = components["schemas"]["HouseholdUpdate"];

export const HOUSEHOLD_FIELDS = ["address", "hamlet", "residence_area", "legacy_area_code"] as const;

export const householdSchema = z.object({
  address: z
    .string()
    .trim()
    .min(1, msg("validation.required"))
    .max(300, msg("validation.tooLong", { max: 300 })),
  hamlet: z
    .string()
    .trim()
    .max(120, msg("validation.tooLong", { max: 120 })),
  residence_area: z.enum(["urban", "rural"]),
  legacy_area_code: z
    .string()
    .trim()
    .max(16, msg("validation.tooLong", { max: 16 })),
});
export type HouseholdValues = z.infer<typeof householdSchema>;

export function householdValues(h: HouseholdDetail): HouseholdValues {
  return {
    address: h.address,
    hamlet: h.hamlet ?? "",
    residence_area: h.residence_area,
    legacy_area_code: h.legacy_area_code ?? "",
  };
}

export const emptyHousehold = (): HouseholdValues => ({
  address: "",
  hamlet: "",
  residence_area: "rural",
  legacy_area_code: "",
});

const orNull = (v: string) => (v.trim() ? v.trim() : null);

export function householdUpdateBody(values: HouseholdValues, initial: HouseholdValues): UpdateBody {
  const body: UpdateBody = {};
  if (values.address.trim() !== initial.address) body.address = values.address.trim();
  if (orNull(values.hamlet) !== orNull(initial.hamlet)) body.hamlet = orNull(values.hamlet);
  if (values.residence_area !== initial.residence_area) body.residence_area = values.residence_area;
  if (orNull(values.legacy_area_code) !== orNull(initial.legacy_area_code))
    body.legacy_area_code = orNull(values.legacy_area_code);
  return body;
}

export function householdEditQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...householdsKey, "one", id, "edit"],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.registry.GET("/v1/households/{household_id}", { params: { path: { household_id: id } }, signal }),
      ),
    refetchOnWindowFocus: false,
    meta: { screen: "households" },
  });
}
