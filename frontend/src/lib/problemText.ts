/** A problem in words a person understands: the message for its `code` in the current language,
 * else the service's own `detail` or `title`. */
import type { i18n as I18n, TFunction } from "i18next";
import type { ApiProblem, FieldProblem } from "@/api/problem";

export function problemMessage(problem: ApiProblem, t: TFunction, i18n: I18n): string {
  const key = `problems.${problem.code}`;
  if (i18n.exists(key)) return t(key as "problems.unknown");
  return problem.detail || problem.title || t("problems.unknown");
}

/** True when the code has its own message (the service's English detail is then not needed). */
export function hasOwnMessage(problem: ApiProblem, i18n: I18n): boolean {
  return i18n.exists(`problems.${problem.code}`);
}

/** The i18n key of a field error, or the service's message when its code is not known here. */
export function fieldErrorMessage(error: FieldProblem, i18n: I18n): string {
  const key = `fieldErrors.${error.code}`;
  return i18n.exists(key) ? key : error.message || "fieldErrors.invalid";
}
