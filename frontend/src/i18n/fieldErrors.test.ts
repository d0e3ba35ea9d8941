import { describe, expect, it } from "vitest";
import type { FieldProblem } from "@/api/problem";
import { fieldErrorMessage } from "@/lib/problemText";
import { en } from "./en";
import { createI18n } from "./index";
import { vi } from "./vi";

/** The codes a 422's `errors[].code` carries for a malformed value. Strict input (docs/conventions.md):
 * pydantic's types for bodies hardened by servicekit's WriteModel (a JSON `1` for a boolean is
 * `bool_type`, `"5"` for an integer `int_type`, `"1.5"` for a float `float_type`, a number for a date
 * `date_parsing`, an unparsable date-time `datetime_parsing`/`datetime_from_date_parsing`, one
 * without its zone `timezone_aware`...), servicekit's own (`datetime_format`, `bool_parsing` for query
 * booleans, `multiple_values` for a repeated query parameter, `json_invalid`), and the constraints'
 * codes. Listed from what pydantic 2 answers for each schema type the services use. */
const STRICT_INPUT_CODES = [
  "missing",
  "extra_forbidden",
  "bool_type",
  "bool_parsing",
  "int_type",
  "int_parsing",
  "int_from_float",
  "float_type",
  "float_parsing",
  "decimal_type",
  "decimal_parsing",
  "decimal_max_digits",
  "decimal_max_places",
  "decimal_whole_digits",
  "date_type",
  "date_parsing",
  "date_from_datetime_parsing",
  "datetime_type",
  "datetime_parsing",
  "datetime_format",
  "datetime_from_date_parsing",
  "timezone_aware",
  "uuid_type",
  "uuid_parsing",
  "string_type",
  "string_too_short",
  "string_too_long",
  "string_pattern_mismatch",
  "enum",
  "literal_error",
  "list_type",
  "too_short",
  "too_long",
  "dict_type",
  "model_type",
  "model_attributes_type",
  "greater_than",
  "greater_than_equal",
  "less_than",
  "less_than_equal",
  "multiple_of",
  "json_invalid",
  "multiple_values",
] as const;

/** The services' own field codes the household, dwelling and support forms may meet. */
const SERVICE_FIELD_CODES = [
  "in_the_future",
  "not_after_current",
  "before_dwelling",
  "out_of_range",
  "disagrees_with_date_of_birth",
  "citizen_id_malformed",
  "citizen_id_is_legacy_number",
  "citizen_id_century_gender_mismatch",
  "citizen_id_birth_year_mismatch",
  "citizen_id_taken",
  "legacy_id_malformed",
  "phone_malformed",
  "support_rate_not_applicable",
  "dwelling_rule_set_not_applicable",
  "household_not_found",
  "commune_not_in_province",
] as const;

const error = (code: string): FieldProblem => ({
  pointer: "/body/x",
  field: "x",
  code,
  message: "the service's English message",
});

describe("field errors in words", () => {
  it("has words for every strict-input and service field code, in Vietnamese and English", () => {
    const missing = [...STRICT_INPUT_CODES, ...SERVICE_FIELD_CODES].filter(
      (code) => !(code in vi.fieldErrors) || !(code in en.fieldErrors),
    );
    expect(missing).toEqual([]);
  });

  it("says a strict-input refusal in the person's language, not the service's English", async () => {
    const i18n = createI18n("vi");
    for (const code of ["bool_type", "float_type", "datetime_parsing"]) {
      const key = fieldErrorMessage(error(code), i18n);
      expect(key).toBe(`fieldErrors.${code}`);
    }
    expect(i18n.t(fieldErrorMessage(error("bool_type"), i18n) as "fieldErrors.invalid")).toBe(
      "Phải là Có hoặc Không.",
    );
    expect(i18n.t(fieldErrorMessage(error("float_type"), i18n) as "fieldErrors.invalid")).toBe(
      "Phải là một số.",
    );
    expect(i18n.t(fieldErrorMessage(error("datetime_parsing"), i18n) as "fieldErrors.invalid")).toBe(
      "Ngày giờ không hợp lệ.",
    );
    await i18n.changeLanguage("en");
    expect(i18n.t(fieldErrorMessage(error("bool_type"), i18n) as "fieldErrors.invalid")).toBe(
      "Must be yes or no.",
    );
    expect(i18n.t(fieldErrorMessage(error("datetime_parsing"), i18n) as "fieldErrors.invalid")).toBe(
      "Not a valid date and time.",
    );
  });

  it("falls back to the service's message for a code it does not know", () => {
    const i18n = createI18n("vi");
    expect(fieldErrorMessage(error("value_error"), i18n)).toBe("the service's English message");
  });
});
