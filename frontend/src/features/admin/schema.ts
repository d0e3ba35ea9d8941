/** The administration forms: values, their rules (the provider's own, checked before sending), and
 * the bodies built from them. */
import { z } from "zod";
import { msg } from "@/lib/messages";
import type { Account, AccountChange, AccountCreate, Partner, PartnerChange, PartnerCreate } from "./api";

// The provider's patterns (tools/dev-issuer directory.py USERNAME_RE, CLIENT_ID_RE, AREA_CODE_RE).
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const CLIENT_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
const AREA_CODE = /^(\d{2}|\d{5})$/;

const name = z
  .string()
  .trim()
  .min(1, msg("validation.required"))
  .max(200, msg("validation.tooLong", { max: 200 }));

export const accountSchema = z.object({
  username: z.string().trim().regex(USERNAME, msg("admin.validation.username")),
  name,
  roles: z.array(z.string()).min(1, msg("admin.validation.pickOne")),
  area_codes: z
    .array(z.string().regex(AREA_CODE))
    .min(1, msg("admin.validation.pickOne"))
    .max(50, msg("validation.tooLarge")),
});
export type AccountValues = z.infer<typeof accountSchema>;
export const ACCOUNT_FIELDS = Object.keys(accountSchema.shape);

export const emptyAccount = (): AccountValues => ({ username: "", name: "", roles: [], area_codes: [] });

export const accountValues = (account: Account): AccountValues => ({
  username: account.username,
  name: account.name,
  roles: [...account.roles],
  area_codes: [...account.area_codes],
});

export const accountCreateBody = (values: AccountValues): AccountCreate => ({
  username: values.username.trim(),
  name: values.name.trim(),
  roles: values.roles,
  area_codes: values.area_codes,
});

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Only what changed (the provider refuses an empty change; null here means nothing to send). */
export function accountChangeBody(values: AccountValues, account: Account): AccountChange | null {
  const body: AccountChange = {};
  if (values.name.trim() !== account.name) body.name = values.name.trim();
  if (!sameSet(values.roles, account.roles)) body.roles = values.roles;
  if (!sameSet(values.area_codes, account.area_codes)) body.area_codes = values.area_codes;
  return Object.keys(body).length ? body : null;
}

export const partnerSchema = z.object({
  client_id: z.string().trim().regex(CLIENT_ID, msg("admin.validation.clientId")),
  name,
  scopes: z.array(z.string()).min(1, msg("admin.validation.pickOne")),
  quota_per_minute: z
    .number(msg("admin.validation.quota"))
    .int(msg("admin.validation.quota"))
    .min(1, msg("admin.validation.quota"))
    .max(100_000, msg("admin.validation.quota")),
});
export type PartnerValues = z.infer<typeof partnerSchema>;
export const PARTNER_FIELDS = Object.keys(partnerSchema.shape);

export const emptyPartner = (): PartnerValues => ({
  client_id: "",
  name: "",
  scopes: [],
  quota_per_minute: 60,
});

export const partnerValues = (partner: Partner): PartnerValues => ({
  client_id: partner.client_id,
  name: partner.name,
  scopes: [...partner.scopes],
  quota_per_minute: partner.quota_per_minute,
});

export const partnerCreateBody = (values: PartnerValues): PartnerCreate => ({
  client_id: values.client_id.trim(),
  name: values.name.trim(),
  scopes: values.scopes,
  quota_per_minute: values.quota_per_minute,
});

export function partnerChangeBody(values: PartnerValues, partner: Partner): PartnerChange | null {
  const body: PartnerChange = {};
  if (values.name.trim() !== partner.name) body.name = values.name.trim();
  if (!sameSet(values.scopes, partner.scopes)) body.scopes = values.scopes;
  if (values.quota_per_minute !== partner.quota_per_minute) body.quota_per_minute = values.quota_per_minute;
  return Object.keys(body).length ? body : null;
}

/** i18n keys cannot hold ":" or "." (i18next's separators): "registry:projects:read" is
 * "registry_projects_read", "account.created" is "account_created". */
export const wordKey = (code: string): string => code.replace(/[:.]/g, "_");
