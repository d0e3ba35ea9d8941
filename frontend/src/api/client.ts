/** Typed clients for the three services (openapi-fetch over the generated types), each call carrying
 * the bearer token; a 401 gets one renewal and one retry. */
import createClient, { type Client } from "openapi-fetch";
import type { AppConfig } from "@/config";
import type { paths as FundingPaths } from "./funding";
import type { paths as InspectionPaths } from "./inspection";
import type { paths as RegistryPaths } from "./registry";

export interface TokenSource {
  getAccessToken(): Promise<string>;
  renew(): Promise<void>;
  expire(reason?: string): void;
}

/** An API without a committed OpenAPI document (the identity provider's `/identity/v1`): its base URL
 * and the same authenticated fetch; the feature that calls it validates the answers itself. */
export interface PlainClient {
  baseUrl: string;
  fetch: typeof fetch;
}

export interface Api {
  registry: Client<RegistryPaths>;
  funding: Client<FundingPaths>;
  inspection: Client<InspectionPaths>;
  identity: PlainClient;
}

/** fetch with `Authorization: Bearer`; on a 401 the token is renewed once and the call repeated (a key
 * rotation or a clock skew); a second 401 ends the session. */
export function authFetch(
  tokens: TokenSource,
  baseFetch: typeof fetch = (...a) => fetch(...a),
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const retry = request.clone();
    request.headers.set("Authorization", `Bearer ${await tokens.getAccessToken()}`);
    const response = await baseFetch(request);
    if (response.status !== 401) return response;
    await tokens.renew();
    retry.headers.set("Authorization", `Bearer ${await tokens.getAccessToken()}`);
    const second = await baseFetch(retry);
    if (second.status === 401) tokens.expire("unauthorized");
    return second;
  };
}

export function createApi(config: AppConfig, tokens: TokenSource, baseFetch?: typeof fetch): Api {
  const fetchWithAuth = authFetch(tokens, baseFetch);
  const options = (baseUrl: string) => ({
    baseUrl,
    fetch: fetchWithAuth,
    headers: { Accept: "application/json, application/problem+json" },
  });
  return {
    registry: createClient<RegistryPaths>(options(config.apiBase.registry)),
    funding: createClient<FundingPaths>(options(config.apiBase.funding)),
    inspection: createClient<InspectionPaths>(options(config.apiBase.inspection)),
    identity: { baseUrl: config.apiBase.identity, fetch: fetchWithAuth },
  };
}
