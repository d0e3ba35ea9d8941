/** The identity provider's account administration (`/identity/v1`, the dev issuer's `identity.py`; the
 * gateway publishes it as `/api/identity/v1`). It has no committed OpenAPI document, so the calls are
 * written here by hand and every answer is checked with zod before a screen sees it. Failures become
 * the same `ApiProblem` as the services' (RFC 9457), with field errors keyed by form field. */
import { z } from "zod";
import type { PlainClient } from "@/api/client";
import { ApiProblem, problemFromResponse, toProblem } from "@/api/problem";

export const accountSchema = z.object({
  username: z.string(),
  subject: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  area_codes: z.array(z.string()),
  enabled: z.boolean(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

const accountCreatedSchema = accountSchema.extend({ initial_password: z.string().min(1) });
const passwordResetSchema = accountSchema.extend({ temporary_password: z.string().min(1) });

export const partnerSchema = z.object({
  client_id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  quota_per_minute: z.number().int(),
  status: z.enum(["active", "revoked"]),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  secret_rotated_at: z.string(),
});
export type Partner = z.infer<typeof partnerSchema>;

const partnerWithSecretSchema = partnerSchema.extend({ client_secret: z.string().min(1) });

export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const catalogueSchema = z.object({
  roles: z.array(z.string()),
  partner_scopes: z.array(z.string()),
});
export type Catalogue = z.infer<typeof catalogueSchema>;

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });

export interface IdentityPage<T> {
  items: T[];
  next_cursor: string | null;
}

/** A record and the ETag to send back as If-Match. */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

export interface AccountCreate {
  username: string;
  name: string;
  roles: string[];
  area_codes: string[];
}
export type AccountChange = Partial<Omit<AccountCreate, "username">>;

export interface PartnerCreate {
  client_id: string;
  name: string;
  scopes: string[];
  quota_per_minute: number;
}
export type PartnerChange = Partial<Omit<PartnerCreate, "client_id">>;

/** The provider's ETag of a record it listed (`W/"<version>"`, as it sends on single reads). */
export const etagOf = (record: { version: number }): string => `W/"${record.version}"`;

interface CallOptions {
  method?: "GET" | "POST" | "PATCH";
  body?: unknown;
  ifMatch?: string;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal | undefined;
}

/** The provider's field pointers are relative to the body ("/username", "/roles/0"); the SPA's forms
 * read the services' form ("/body/username"), so a body's errors are rebased onto it. */
function rebaseOntoBody(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !Array.isArray((body as { errors?: unknown }).errors)) {
    return body;
  }
  const doc = body as { errors: { pointer?: unknown }[] };
  return {
    ...doc,
    errors: doc.errors.map((error) =>
      typeof error.pointer === "string" && error.pointer.startsWith("/") && error.pointer.length > 1
        ? { ...error, pointer: `/body${error.pointer}` }
        : error,
    ),
  };
}

async function call<S extends z.ZodType>(
  client: PlainClient,
  path: string,
  schema: S,
  options: CallOptions = {},
): Promise<Versioned<z.infer<S>>> {
  const url = new URL(`${client.baseUrl}/v1${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.ifMatch) headers["If-Match"] = options.ifMatch;
  let response: Response;
  try {
    response = await client.fetch(url.toString(), {
      method: options.method ?? "GET",
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (exc) {
    throw toProblem(exc);
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw problemFromResponse(response, options.body !== undefined ? rebaseOntoBody(parsed) : parsed);
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    throw new ApiProblem({
      status: response.status,
      code: "invalid_response",
      detail: `${path}: ${checked.error.message}`,
      requestId: response.headers.get("X-Request-ID"),
    });
  }
  return { data: checked.data, etag: response.headers.get("ETag") };
}

const data = async <T>(result: Promise<Versioned<T>>): Promise<T> => (await result).data;
const pathPart = encodeURIComponent;

export interface PageParams {
  cursor?: string | undefined;
  limit?: number;
  signal?: AbortSignal | undefined;
}

// ---------------------------------------------------------------------- accounts

export function listAccounts(client: PlainClient, p: PageParams = {}): Promise<IdentityPage<Account>> {
  return data(
    call(client, "/accounts", pageOf(accountSchema), {
      query: { limit: p.limit, cursor: p.cursor },
      signal: p.signal,
    }),
  );
}

export function readAccount(client: PlainClient, username: string, signal?: AbortSignal) {
  return call(client, `/accounts/${pathPart(username)}`, accountSchema, { signal });
}

/** The new account with its first password (`initial_password`), which is shown this once only. */
export function createAccount(client: PlainClient, body: AccountCreate) {
  return call(client, "/accounts", accountCreatedSchema, { method: "POST", body });
}

/** Name, roles, area codes (only those given); the officer's next token carries the change. */
export function changeAccount(client: PlainClient, username: string, etag: string, body: AccountChange) {
  return call(client, `/accounts/${pathPart(username)}`, accountSchema, {
    method: "PATCH",
    body,
    ifMatch: etag,
  });
}

export function setAccountEnabled(client: PlainClient, username: string, etag: string, enabled: boolean) {
  return call(client, `/accounts/${pathPart(username)}/${enabled ? "enable" : "disable"}`, accountSchema, {
    method: "POST",
    ifMatch: etag,
  });
}

/** A new random password (`temporary_password`, shown once); the account's sessions end. */
export function resetPassword(client: PlainClient, username: string, etag: string) {
  return call(client, `/accounts/${pathPart(username)}/reset-password`, passwordResetSchema, {
    method: "POST",
    ifMatch: etag,
  });
}

// ---------------------------------------------------------------------- partner clients

export function listPartners(client: PlainClient, p: PageParams = {}): Promise<IdentityPage<Partner>> {
  return data(
    call(client, "/partner-clients", pageOf(partnerSchema), {
      query: { limit: p.limit, cursor: p.cursor },
      signal: p.signal,
    }),
  );
}

export function readPartner(client: PlainClient, clientId: string, signal?: AbortSignal) {
  return call(client, `/partner-clients/${pathPart(clientId)}`, partnerSchema, { signal });
}

/** The partner client with its secret (`client_secret`), which is shown this once only. */
export function registerPartner(client: PlainClient, body: PartnerCreate) {
  return call(client, "/partner-clients", partnerWithSecretSchema, { method: "POST", body });
}

export function changePartner(client: PlainClient, clientId: string, etag: string, body: PartnerChange) {
  return call(client, `/partner-clients/${pathPart(clientId)}`, partnerSchema, {
    method: "PATCH",
    body,
    ifMatch: etag,
  });
}

/** A new secret, shown once; the old one stops working at once. */
export function rotateSecret(client: PlainClient, clientId: string, etag: string) {
  return call(client, `/partner-clients/${pathPart(clientId)}/rotate-secret`, partnerWithSecretSchema, {
    method: "POST",
    ifMatch: etag,
  });
}

/** For good: the client gets no token any more. */
export function revokePartner(client: PlainClient, clientId: string, etag: string) {
  return call(client, `/partner-clients/${pathPart(clientId)}/revoke`, partnerSchema, {
    method: "POST",
    ifMatch: etag,
  });
}

// ---------------------------------------------------------------------- audit and catalogue

/** The provider's append-only audit log, oldest first. */
export function listAuditEvents(client: PlainClient, p: PageParams = {}): Promise<IdentityPage<AuditEvent>> {
  return data(
    call(client, "/audit-events", pageOf(auditEventSchema), {
      query: { limit: p.limit, cursor: p.cursor },
      signal: p.signal,
    }),
  );
}

/** What an administrator may grant: people's roles and partners' scopes. */
export function readCatalogue(client: PlainClient, signal?: AbortSignal): Promise<Catalogue> {
  return data(call(client, "/catalogue", catalogueSchema, { signal }));
}
