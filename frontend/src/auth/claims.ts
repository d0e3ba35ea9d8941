/** The signed-in person as the access token describes them. The services verify the token; the SPA
 * only reads its claims to decide what to show. */
export interface User {
  subject: string;
  name: string;
  username: string;
  roles: string[];
  /** 2-digit province codes and 5-digit commune codes the person covers. */
  areaCodes: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) throw new Error("not a JWT");
  const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new Error("JWT payload is not an object");
  }
  return payload as Record<string, unknown>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

export function userFromAccessToken(token: string): User {
  const claims = decodeJwtPayload(token);
  const username = typeof claims.preferred_username === "string" ? claims.preferred_username : "";
  return {
    subject: String(claims.sub ?? ""),
    name: typeof claims.name === "string" ? claims.name : username,
    username,
    roles: strings(claims.roles),
    areaCodes: strings(claims.area_codes),
    expiresAt: typeof claims.exp === "number" ? claims.exp : 0,
  };
}

export const provinceCodes = (user: User): string[] => user.areaCodes.filter((c) => c.length === 2);
export const communeCodes = (user: User): string[] => user.areaCodes.filter((c) => c.length === 5);
