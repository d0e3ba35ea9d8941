/** A profiteering flag's evidence in words: each key the sources write (registry's integrity signals,
 * funding's loan exceptions, the land-reserve rule) gets its label, dates read as dates, money as
 * đồng, ids shortened, known codes in words. An unknown key is shown as it is rather than hidden. */
import type { i18n as I18n, TFunction } from "i18next";
import { formatDate, formatNumber } from "@/lib/format";

export interface EvidenceLine {
  key: string;
  label: string;
  value: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function word(value: string, t: TFunction, i18n: I18n): string {
  if (ISO_DATE.test(value)) return formatDate(value);
  if (UUID.test(value)) return `${value.slice(0, 8)}…`;
  const key = `inspection.flagEvidence.values.${value}`;
  return i18n.exists(key) ? t(key as "inspection.flagEvidence.values.person") : value;
}

function valueText(key: string, value: unknown, t: TFunction, i18n: I18n): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return t(value ? "common.yes" : "common.no");
  if (typeof value === "number")
    return key.endsWith("_vnd")
      ? `${formatNumber(value, i18n.language)} ₫`
      : formatNumber(value, i18n.language);
  if (typeof value === "string") return word(value, t, i18n);
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    if (value.every((v) => typeof v === "string" || typeof v === "number"))
      return value.map((v) => (typeof v === "string" ? word(v, t, i18n) : String(v))).join(", ");
    return t("inspection.flagEvidence.items", { count: value.length });
  }
  return null;
}

export function evidenceLines(evidence: Record<string, unknown>, t: TFunction, i18n: I18n): EvidenceLine[] {
  const lines: EvidenceLine[] = [];
  for (const [key, raw] of Object.entries(evidence)) {
    const value = valueText(key, raw, t, i18n);
    if (value === null) continue;
    const labelKey = `inspection.flagEvidence.keys.${key}`;
    const label = i18n.exists(labelKey) ? t(labelKey as "inspection.flagEvidence.keys.rule") : key;
    lines.push({ key, label, value });
  }
  return lines;
}
