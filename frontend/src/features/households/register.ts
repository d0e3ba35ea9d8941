/** Registering a household with its head and members: form values, rules and the POST body. The
 * service checks a citizen ID against the birth year and gender and answers field errors under
 * `/body/head/...` and `/body/members/<i>/...`, which are the form's own field names. */
import { z } from "zod";
import type { components } from "@/api/registry";
import { msg } from "@/lib/messages";

type S = components["schemas"];

export const GENDERS = ["male", "female"] as const;
export const MEMBER_RELATIONSHIPS = [
  "spouse",
  "child",
  "child_in_law",
  "grandchild",
  "parent",
  "parent_in_law",
  "grandparent",
  "sibling",
  "other_relative",
  "other",
] as const satisfies readonly Exclude<S["Relationship"], "head">[];
export const MAX_MEMBERS = 30;

/** What people type inside numbers: spaces, dots and dashes (the service ignores them too). */
export const digitsOf = (value: string) => value.replace(/[\s.-]/g, "");
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (max: number, required: boolean) => {
  const base = z.string().trim().max(max, msg("validation.tooLong", { max }));
  return required ? base.min(1, msg("validation.required")) : base;
};

/** Empty, or 12 digits; a 9-digit number is an old ID card's, said so. */
const citizenId = (required: boolean) =>
  z.string().superRefine((value, ctx) => {
    const digits = digitsOf(value);
    if (!digits) {
      if (required) ctx.addIssue({ code: "custom", message: msg("validation.required") });
      return;
    }
    if (/^\d{9}$/.test(digits))
      ctx.addIssue({ code: "custom", message: msg("householdForms.validation.citizenIdLegacy") });
    else if (!/^\d{12}$/.test(digits))
      ctx.addIssue({ code: "custom", message: msg("householdForms.validation.citizenIdDigits") });
  });

const phone = z
  .string()
  .refine(
    (value) => !digitsOf(value) || /^(0\d{9}|\+84\d{9})$/.test(digitsOf(value)),
    msg("householdForms.validation.phone"),
  );

const personFields = {
  full_name: text(200, true),
  gender: z.enum(GENDERS, { error: msg("validation.required") }),
  date_of_birth: z
    .string()
    .refine((v) => v === "" || ISO_DATE.test(v), msg("householdForms.validation.date")),
  birth_year: z
    .number({ error: msg("householdForms.validation.birthYearRange") })
    .int(msg("householdForms.validation.birthYearRange"))
    .min(1900, msg("householdForms.validation.birthYearRange"))
    .max(2399, msg("householdForms.validation.birthYearRange"))
    .nullable(),
  phone,
};

/** A date of birth, or a year when the date is unknown; both must agree. */
function checkBirth(person: { date_of_birth: string; birth_year: number | null }, ctx: z.RefinementCtx) {
  if (!person.date_of_birth && person.birth_year === null) {
    ctx.addIssue({
      code: "custom",
      path: ["date_of_birth"],
      message: msg("householdForms.validation.birthNeeded"),
    });
  } else if (
    person.date_of_birth &&
    person.birth_year !== null &&
    Number(person.date_of_birth.slice(0, 4)) !== person.birth_year
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["birth_year"],
      message: msg("householdForms.validation.birthYearDisagrees"),
    });
  }
}

export const headSchema = z.object({ ...personFields, citizen_id: citizenId(true) }).superRefine(checkBirth);
export const memberSchema = z
  .object({
    ...personFields,
    citizen_id: citizenId(false),
    relationship: z.enum(MEMBER_RELATIONSHIPS, { error: msg("validation.required") }),
  })
  .superRefine(checkBirth);

export const registrationSchema = z.object({
  commune_code: z.string().regex(/^\d{5}$/, msg("validation.communeCode")),
  address: text(300, true),
  hamlet: text(120, false),
  residence_area: z.enum(["urban", "rural"]),
  registered_on: z
    .string()
    .refine((v) => v === "" || ISO_DATE.test(v), msg("householdForms.validation.date")),
  head: headSchema,
  members: z.array(memberSchema).max(MAX_MEMBERS),
});

export type HeadValues = z.infer<typeof headSchema>;
export type MemberValues = z.infer<typeof memberSchema>;
export type RegistrationValues = z.infer<typeof registrationSchema>;

export const emptyHead = (): HeadValues => ({
  full_name: "",
  gender: "male",
  date_of_birth: "",
  birth_year: null,
  citizen_id: "",
  phone: "",
});

export const emptyMember = (): MemberValues => ({ ...emptyHead(), relationship: "spouse" });

export function emptyRegistration(communeCode = ""): RegistrationValues {
  return {
    commune_code: communeCode,
    address: "",
    hamlet: "",
    residence_area: "rural",
    registered_on: "",
    head: emptyHead(),
    members: [],
  };
}

/** Field names the service's pointers may name: the form's own, nested as the body is. */
export function isRegistrationField(field: string): boolean {
  return /^(commune_code|address|hamlet|residence_area|registered_on|head\.[a-z_]+|members\.\d+\.[a-z_]+)$/.test(
    field,
  );
}

function personBody(p: HeadValues) {
  const digits = digitsOf(p.citizen_id);
  const mobile = digitsOf(p.phone);
  return {
    full_name: p.full_name.trim(),
    gender: p.gender,
    ...(p.date_of_birth ? { date_of_birth: p.date_of_birth } : { birth_year: p.birth_year }),
    ...(digits ? { citizen_id: digits } : {}),
    ...(mobile ? { phone: mobile } : {}),
  };
}

/** Empty optional fields are left out (the service then takes today, no hamlet...). */
export function registrationBody(v: RegistrationValues, provinceCode: string): S["HouseholdCreate"] {
  return {
    province_code: provinceCode,
    commune_code: v.commune_code,
    address: v.address.trim(),
    ...(v.hamlet.trim() ? { hamlet: v.hamlet.trim() } : {}),
    residence_area: v.residence_area,
    ...(v.registered_on ? { registered_on: v.registered_on } : {}),
    head: personBody(v.head),
    members: v.members.map((m) => ({ ...personBody(m), relationship: m.relationship })),
  };
}
