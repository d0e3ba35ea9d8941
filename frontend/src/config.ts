/** Where the SPA finds the issuer and the services. Everything is same-origin behind the gateway. */
export interface AppConfig {
  /** The OIDC issuer as this origin reaches it (the gateway's `/auth`). */
  authority: string;
  clientId: string;
  scope: string;
  /** Each service's prefix under the gateway (the `servers` of its openapi.json). */
  apiBase: { registry: string; funding: string; inspection: string };
}

export function loadConfig(origin: string = window.location.origin): AppConfig {
  const env = import.meta.env;
  return {
    authority: (env.VITE_OIDC_AUTHORITY as string | undefined) ?? `${origin}/auth`,
    clientId: (env.VITE_OIDC_CLIENT_ID as string | undefined) ?? "noxh-spa",
    // The dev issuer accepts exactly these; production's provider is configured to match.
    scope: "openid profile",
    apiBase: {
      registry: `${origin}/api/registry`,
      funding: `${origin}/api/funding`,
      inspection: `${origin}/api/inspection`,
    },
  };
}
