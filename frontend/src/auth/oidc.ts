/** OAuth 2.0 authorization code + PKCE (S256) against an OIDC issuer found by discovery: the protocol
 * steps as plain functions, so they are tested without a browser. `session.ts` holds the state. */

export interface IssuerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  refresh_expires_in?: number;
  id_token?: string;
  scope?: string;
}

/** The issuer refused (`error` is the RFC 6749 code) or could not be reached (`error` = "network"). */
export class OidcError extends Error {
  constructor(
    readonly error: string,
    description?: string,
    readonly status = 0,
  ) {
    super(description || error);
    this.name = "OidcError";
  }

  /** The grant itself is dead (expired, revoked, reused): only a new login helps. */
  get grantRejected(): boolean {
    return ["invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope"].includes(this.error);
  }
}

type Fetch = typeof fetch;

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** An endpoint under the issuer's URL, reached through the authority this SPA was given instead.
 * The dev issuer names itself http://127.0.0.1:8000/auth; a browser on http://localhost:8000 must still
 * call its own origin (the gateway's CSP allows `connect-src 'self'` only). */
export function rebaseEndpoint(endpoint: string, issuer: string, authority: string): string {
  const from = trimSlash(issuer);
  const to = trimSlash(authority);
  if (from === to) return endpoint;
  if (endpoint === from || endpoint.startsWith(`${from}/`)) return to + endpoint.slice(from.length);
  return endpoint;
}

export async function discover(authority: string, fetchFn: Fetch = fetch): Promise<IssuerMetadata> {
  let response: Response;
  try {
    response = await fetchFn(`${trimSlash(authority)}/.well-known/openid-configuration`, {
      headers: { Accept: "application/json" },
    });
  } catch (exc) {
    throw new OidcError("network", String(exc));
  }
  if (!response.ok) throw new OidcError("discovery_failed", `discovery answered ${response.status}`);
  const doc = (await response.json()) as Partial<IssuerMetadata>;
  if (!doc.issuer || !doc.authorization_endpoint || !doc.token_endpoint) {
    throw new OidcError("discovery_failed", "the discovery document lacks endpoints");
  }
  const rebase = (url: string) => rebaseEndpoint(url, doc.issuer as string, authority);
  return {
    issuer: doc.issuer,
    authorization_endpoint: rebase(doc.authorization_endpoint),
    token_endpoint: rebase(doc.token_endpoint),
    ...(doc.end_session_endpoint ? { end_session_endpoint: rebase(doc.end_session_endpoint) } : {}),
  };
}

export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function randomToken(byteCount = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** RFC 7636: a 43-character verifier and its S256 challenge. */
export async function createPkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  return { verifier, challenge: await s256(verifier) };
}

export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  uiLocales?: string;
}

export function authorizeUrl(meta: IssuerMetadata, p: AuthorizeParams): string {
  const url = new URL(meta.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("redirect_uri", p.redirectUri);
  url.searchParams.set("scope", p.scope);
  url.searchParams.set("state", p.state);
  url.searchParams.set("nonce", p.nonce);
  url.searchParams.set("code_challenge", p.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  if (p.uiLocales) url.searchParams.set("ui_locales", p.uiLocales);
  return url.toString();
}

async function tokenRequest(meta: IssuerMetadata, form: Record<string, string>, fetchFn: Fetch) {
  let response: Response;
  try {
    response = await fetchFn(meta.token_endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(form).toString(),
    });
  } catch (exc) {
    throw new OidcError("network", String(exc));
  }
  const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & {
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) {
    const code = body.error ?? (response.status >= 500 ? "server_error" : "invalid_response");
    throw new OidcError(code, body.error_description, response.status);
  }
  return body as TokenResponse;
}

export function exchangeCode(
  meta: IssuerMetadata,
  p: { clientId: string; code: string; redirectUri: string; codeVerifier: string },
  fetchFn: Fetch = fetch,
): Promise<TokenResponse> {
  return tokenRequest(
    meta,
    {
      grant_type: "authorization_code",
      client_id: p.clientId,
      code: p.code,
      redirect_uri: p.redirectUri,
      code_verifier: p.codeVerifier,
    },
    fetchFn,
  );
}

export function refreshTokens(
  meta: IssuerMetadata,
  p: { clientId: string; refreshToken: string },
  fetchFn: Fetch = fetch,
): Promise<TokenResponse> {
  return tokenRequest(
    meta,
    { grant_type: "refresh_token", client_id: p.clientId, refresh_token: p.refreshToken },
    fetchFn,
  );
}

export function endSessionUrl(
  meta: IssuerMetadata,
  p: { clientId: string; idToken?: string; postLogoutRedirectUri: string },
): string | null {
  if (!meta.end_session_endpoint) return null;
  const url = new URL(meta.end_session_endpoint);
  url.searchParams.set("client_id", p.clientId);
  if (p.idToken) url.searchParams.set("id_token_hint", p.idToken);
  url.searchParams.set("post_logout_redirect_uri", p.postLogoutRedirectUri);
  return url.toString();
}
