/** A household's dwelling and its condition assessment: form values, rules and the POST bodies. The
 * service classifies the dwelling (temporary, dilapidated, adequate) from these facts under the rule
 * set in force on the assessment day; the form only collects them. */
import { z } from "zod";
import type { Api } from "@/api/client";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import { msg } from "@/lib/messages";

type S = components["schemas"];
export type Assessment = S["AssessmentRead"];
export type Dwelling = S["DwellingRead"];

export const STRUCTURE_PARTS = ["foundation", "frame_walls", "roof"] as const;
export const MATERIALS = ["durable", "non_durable"] as const satisfies readonly S["Material"][];
export const STRUCTURE_STATES = [
  "sound",
  "damaged",
  "unsafe",
] as const satisfies readonly S["StructureState"][];
export const LAND_STATUSES = [
  "residential_undisputed",
  "residential_disputed",
  "not_residential",
  "unknown",
] as const satisfies readonly S["LandStatus"][];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = z.string().regex(ISO_DATE, msg("householdForms.validation.date"));
const note = z
  .string()
  .trim()
  .max(2000, msg("validation.tooLong", { max: 2000 }));
const structure = z.object({
  material: z.enum(MATERIALS, { error: msg("validation.required") }),
  state: z.enum(STRUCTURE_STATES, { error: msg("validation.required") }),
});

export const assessmentSchema = z.object({
  assessed_on: date,
  assessor: z
    .string()
    .trim()
    .min(1, msg("validation.required"))
    .max(200, msg("validation.tooLong", { max: 200 })),
  floor_area_m2: z
    .number({ error: msg("householdForms.validation.area") })
    .gt(0, msg("householdForms.validation.area"))
    .max(10_000, msg("householdForms.validation.area"))
    .nullable()
    .refine((v): boolean => v !== null, msg("householdForms.validation.area")),
  residents: z
    .number({ error: msg("householdForms.validation.residents") })
    .int(msg("householdForms.validation.residents"))
    .min(1, msg("householdForms.validation.residents"))
    .max(100, msg("householdForms.validation.residents")),
  foundation: structure,
  frame_walls: structure,
  roof: structure,
  land_status: z.enum(LAND_STATUSES, { error: msg("validation.required") }),
  note,
});
export type AssessmentValues = z.infer<typeof assessmentSchema>;

/** A new dwelling with its first assessment, in one form. */
export const dwellingSchema = assessmentSchema.extend({
  since: date,
  built_year: z
    .number({ error: msg("householdForms.validation.builtYear") })
    .int(msg("householdForms.validation.builtYear"))
    .min(1800, msg("householdForms.validation.builtYear"))
    .max(2100, msg("householdForms.validation.builtYear"))
    .nullable(),
  dwelling_note: note,
});
export type DwellingValues = z.infer<typeof dwellingSchema>;

export const ASSESSMENT_FIELDS = [
  "assessed_on",
  "assessor",
  "floor_area_m2",
  "residents",
  ...STRUCTURE_PARTS.flatMap((part) => [`${part}.material`, `${part}.state`]),
  "land_status",
  "note",
] as const;
export const DWELLING_FIELDS = ["since", "built_year", "dwelling_note"] as const;

/** Today as a legal date (YYYY-MM-DD) in Asia/Ho_Chi_Minh, as the services count it, wherever the
 * browser is. */
export function localToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(now);
}

export function emptyAssessment(today = localToday()): AssessmentValues {
  const sound = { material: "durable" as const, state: "sound" as const };
  return {
    assessed_on: today,
    assessor: "",
    floor_area_m2: null,
    residents: 1,
    foundation: { ...sound },
    frame_walls: { ...sound },
    roof: { ...sound },
    land_status: "residential_undisputed",
    note: "",
  };
}

export function emptyDwelling(today = localToday()): DwellingValues {
  return { ...emptyAssessment(today), since: today, built_year: null, dwelling_note: "" };
}

export function dwellingBody(v: DwellingValues): S["DwellingCreate"] {
  return {
    since: v.since,
    ...(v.built_year !== null ? { built_year: v.built_year } : {}),
    ...(v.dwelling_note.trim() ? { note: v.dwelling_note.trim() } : {}),
  };
}

export function assessmentBody(v: AssessmentValues): S["AssessmentCreate"] {
  return {
    assessed_on: v.assessed_on,
    assessor: v.assessor.trim(),
    floor_area_m2: v.floor_area_m2 ?? 0,
    residents: v.residents,
    foundation: { ...v.foundation },
    frame_walls: { ...v.frame_walls },
    roof: { ...v.roof },
    land_status: v.land_status,
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}

/** A dwelling's server field errors name `note` for the dwelling's note; the form calls it so. */
export const dwellingFieldName = (field: string) => (field === "note" ? "dwelling_note" : field);

export function createDwelling(api: Api, householdId: string, v: DwellingValues) {
  return unwrap(
    api.registry.POST("/v1/households/{household_id}/dwellings", {
      params: { path: { household_id: householdId } },
      body: dwellingBody(v),
    }),
  );
}

export function assessDwelling(api: Api, dwellingId: string, v: AssessmentValues) {
  return unwrap(
    api.registry.POST("/v1/dwellings/{dwelling_id}/assessments", {
      params: { path: { dwelling_id: dwellingId } },
      body: assessmentBody(v),
    }),
  );
}
