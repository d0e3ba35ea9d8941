/** Dates as dd/MM/yyyy, numbers with the language's separators. */
import dayjs from "dayjs";

const locales = { vi: "vi-VN", en: "en-GB" } as const;

export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const d = dayjs(value);
  return d.isValid() ? d.format("DD/MM/YYYY") : value;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "";
  const d = dayjs(value);
  return d.isValid() ? d.format("DD/MM/YYYY HH:mm") : value;
}

export function formatNumber(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return "";
  return new Intl.NumberFormat(language === "en" ? locales.en : locales.vi).format(value);
}
