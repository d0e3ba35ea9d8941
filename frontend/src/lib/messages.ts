/** Validation messages are i18n keys, with parameters when they need some, so they follow a change of
 * language after they were raised: `msg("validation.tooLong", { max: 200 })`. */
import type { i18n as I18n, TFunction } from "i18next";

export function msg(key: string, params?: Record<string, string | number>): string {
  return params ? JSON.stringify({ k: key, p: params }) : key;
}

export function translateMessage(message: string, t: TFunction, i18n: I18n): string {
  if (message.startsWith("{")) {
    try {
      const { k, p } = JSON.parse(message) as { k: string; p?: Record<string, string | number> };
      return t(k as "validation.required", p ?? {});
    } catch {
      return message;
    }
  }
  return i18n.exists(message) ? t(message as "validation.required") : message;
}
