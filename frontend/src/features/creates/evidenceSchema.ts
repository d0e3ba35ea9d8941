/** A proof document of an application: values, rules, body. */
import { z } from "zod";
import type { components } from "@/api/registry";
import { msg } from "@/lib/messages";

type S = components["schemas"];
export const EVIDENCE_FORMS = [
  "01",
  "01a",
  "02",
  "03",
  "04",
  "05",
  "merit_certificate",
  "poverty_certificate",
  "disability_certificate",
  "resettlement_decision",
] as const satisfies readonly S["EvidenceForm"][];

export const evidenceSchema = z.object({
  person_id: z.string().min(1, msg("validation.required")),
  form: z.enum(EVIDENCE_FORMS, { error: msg("validation.required") }),
  form_version: z
    .string()
    .trim()
    .min(1, msg("validation.required"))
    .max(50, msg("validation.tooLong", { max: 50 })),
  issuer: z
    .string()
    .trim()
    .min(1, msg("validation.required"))
    .max(300, msg("validation.tooLong", { max: 300 })),
  issued_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, msg("validation.required")),
  document_number: z
    .string()
    .trim()
    .max(100, msg("validation.tooLong", { max: 100 })),
});
export type EvidenceValues = z.infer<typeof evidenceSchema>;
export const EVIDENCE_FIELDS = Object.keys(evidenceSchema.shape);

/** Evidence may be added while the application is a draft or waits for assessment. */
export const EVIDENCE_OPEN: readonly S["ApplicationStatus"][] = ["draft", "submitted"];

/** Who a document may cover: the applicant, the spouse and the members, each once. */
export function coveredPersons(
  a: Pick<S["ApplicationDetail"], "applicant_person_id" | "spouse_person_id" | "member_person_ids">,
) {
  const people: { id: string; role: "applicant" | "spouse" | "member" }[] = [
    { id: a.applicant_person_id, role: "applicant" },
  ];
  if (a.spouse_person_id) people.push({ id: a.spouse_person_id, role: "spouse" });
  for (const id of a.member_person_ids)
    if (!people.some((p) => p.id === id)) people.push({ id, role: "member" });
  return people;
}

export function emptyEvidence(personId: string): EvidenceValues {
  return {
    person_id: personId,
    form: "01",
    form_version: "",
    issuer: "",
    issued_on: "",
    document_number: "",
  };
}

export function evidenceBody(v: EvidenceValues): S["EvidenceCreate"] {
  return {
    person_id: v.person_id,
    form: v.form,
    form_version: v.form_version.trim(),
    issuer: v.issuer.trim(),
    issued_on: v.issued_on,
    document_number: v.document_number.trim() || null,
  };
}

// --- Application --------------------------------------------------------------------------------
const uuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    msg("reviews.householdIdInvalid"),
  );
export const applicationSchema = z.object({
  project_id: uuid,
  tenure: z.enum(["buy", "lease_purchase", "rent"], { error: msg("validation.required") }),
  applicant_person_id: uuid,
  spouse_person_id: z.union([z.literal(""), uuid]),
  /** The members' person ids, picked by name. */
  members: z.array(uuid),
  beneficiary_group: z
    .number({ error: msg("validation.required") })
    .int(msg("validation.wholeNumber"))
    .min(1, msg("validation.wholeNumber"))
    .max(12, msg("validation.tooLarge")),
  marital_status: z.enum(["single", "married", "single_with_child"], { error: msg("validation.required") }),
  monthly_income_vnd: z.number().int(msg("validation.wholeNumber")).min(0).nullable(),
  applicant_disabled: z.boolean(),
  resettled: z.boolean(),
  note: z
    .string()
    .trim()
    .max(2000, msg("validation.tooLong", { max: 2000 })),
});
export type ApplicationValues = z.infer<typeof applicationSchema>;
export const APPLICATION_FIELDS = [...Object.keys(applicationSchema.shape), "member_person_ids"];

export function emptyApplication(projectId = ""): ApplicationValues {
  return {
    project_id: projectId,
    tenure: "buy",
    applicant_person_id: "",
    spouse_person_id: "",
    members: [],
    beneficiary_group: 1,
    marital_status: "single",
    monthly_income_vnd: null,
    applicant_disabled: false,
    resettled: false,
    note: "",
  };
}

/** Members leave out the applicant and the spouse (the service counts them already). */
export function applicationBody(v: ApplicationValues): S["ApplicationCreate"] {
  const skip = new Set([v.applicant_person_id, v.spouse_person_id]);
  return {
    project_id: v.project_id,
    tenure: v.tenure,
    applicant_person_id: v.applicant_person_id,
    spouse_person_id: v.spouse_person_id || null,
    member_person_ids: [...new Set(v.members)].filter((id) => !skip.has(id)),
    beneficiary_group: v.beneficiary_group,
    marital_status: v.marital_status,
    monthly_income_vnd: v.monthly_income_vnd,
    applicant_disabled: v.applicant_disabled,
    resettled: v.resettled,
    note: v.note.trim() || null,
  };
}
