/** Where the SPA finds the issuer and the services. Everything is same-origin behind the gateway. */
export interface AppConfig {
  /** The OIDC issuer as this origin reaches it (the gateway's `/auth`). */
  authority: string;
  clientId: string;
  scope: string;
  /** Each service's prefix under the gateway (the `servers` of its openapi.json). */
  apiBase: { registry: string; funding: string; inspection: string; identity: string };
  /** The dashboard's map. No base tiles and no commune shapes ship with the app: both are set per
   * deployment (a tile server of the province's network, a GeoJSON of the communes whose features
   * carry the commune `code`); without them the map shows an empty frame and the counts table. */
  map: {
    tileUrl: string | null;
    tileAttribution: string;
    communesUrl: string | null;
    center: [number, number];
    zoom: number;
  };
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
      // The identity provider's account administration (`/identity/v1`, published by the gateway).
      identity: `${origin}/api/identity`,
    },
    map: {
      tileUrl: (env.VITE_MAP_TILE_URL as string | undefined) || null,
      tileAttribution: (env.VITE_MAP_TILE_ATTRIBUTION as string | undefined) ?? "",
      communesUrl: (env.VITE_MAP_COMMUNES_URL as string | undefined) || null,
      // The view opens over Hải Phòng (a display setting, not data).
      center: [20.86, 106.5],
      zoom: 9,
    },
  };
}
