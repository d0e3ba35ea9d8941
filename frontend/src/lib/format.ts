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

/** Counts are exact up to 10,000 and estimated above (decision 5): above, "10.000+" ("10,000+"). */
export const COUNT_CAP = 10_000;

export function formatBoundedCount(value: number, language: string, exact = value < COUNT_CAP): string {
  if (exact) return formatNumber(value, language);
  return `${formatNumber(COUNT_CAP, language)}+`;
}
