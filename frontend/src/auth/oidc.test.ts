import { describe, expect, it } from "vitest";
import {
  authorizeUrl,
  createPkce,
  discover,
  endSessionUrl,
  OidcError,
  rebaseEndpoint,
  refreshTokens,
  s256,
} from "./oidc";

const DISCOVERY = {
  issuer: "http://127.0.0.1:8000/auth",
  authorization_endpoint: "http://127.0.0.1:8000/auth/authorize",
  token_endpoint: "http://127.0.0.1:8000/auth/token",
  end_session_endpoint: "http://127.0.0.1:8000/auth/logout",
};

describe("PKCE", () => {
  it("computes the RFC 7636 S256 challenge", async () => {
    // RFC 7636 appendix B.
    expect(await s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes a 43-character verifier of unreserved characters, new each time", async () => {
    const a = await createPkce();
    const b = await createPkce();
    expect(a.verifier).toMatch(/^[A-Za-z0-9\-_]{43}$/);
    expect(a.challenge).toBe(await s256(a.verifier));
    expect(a.verifier).not.toBe(b.verifier);
  });
});

describe("discovery", () => {
  it("reaches the issuer's endpoints through the authority this origin was given", async () => {
    const fetchFn = async (url: RequestInfo | URL) => {
      expect(String(url)).toBe("http://localhost:8000/auth/.well-known/openid-configuration");
      return new Response(JSON.stringify(DISCOVERY), { headers: { "Content-Type": "application/json" } });
    };
    const meta = await discover("http://localhost:8000/auth", fetchFn as typeof fetch);
    expect(meta.issuer).toBe("http://127.0.0.1:8000/auth");
    expect(meta.token_endpoint).toBe("http://localhost:8000/auth/token");
    expect(meta.authorization_endpoint).toBe("http://localhost:8000/auth/authorize");
    expect(meta.end_session_endpoint).toBe("http://localhost:8000/auth/logout");
  });

  it("leaves endpoints elsewhere alone", () => {
    expect(rebaseEndpoint("https://sso.example/token", "https://idp.example/realm", "/auth")).toBe(
      "https://sso.example/token",
    );
    expect(rebaseEndpoint(DISCOVERY.token_endpoint, DISCOVERY.issuer, `${DISCOVERY.issuer}/`)).toBe(
      DISCOVERY.token_endpoint,
    );
  });

  it("fails plainly when the issuer cannot be reached", async () => {
    const down = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(discover("http://x/auth", down as typeof fetch)).rejects.toMatchObject({ error: "network" });
  });
});

describe("requests", () => {
  it("asks for a code with S256, state and nonce", () => {
    const url = new URL(
      authorizeUrl(DISCOVERY, {
        clientId: "noxh-spa",
        redirectUri: "http://127.0.0.1:8000/callback",
        scope: "openid profile",
        state: "st",
        nonce: "no",
        codeChallenge: "ch",
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "noxh-spa",
      redirect_uri: "http://127.0.0.1:8000/callback",
      scope: "openid profile",
      state: "st",
      nonce: "no",
      code_challenge: "ch",
      code_challenge_method: "S256",
    });
  });

  it("turns the issuer's refusal into an OidcError saying the grant is dead", async () => {
    const refuse = async () =>
      new Response(JSON.stringify({ error: "invalid_grant", error_description: "revoked" }), { status: 400 });
    const error = await refreshTokens(
      DISCOVERY,
      { clientId: "noxh-spa", refreshToken: "r" },
      refuse as typeof fetch,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OidcError);
    expect((error as OidcError).grantRejected).toBe(true);
    const down = async () => new Response("bad gateway", { status: 502 });
    const other = await refreshTokens(
      DISCOVERY,
      { clientId: "noxh-spa", refreshToken: "r" },
      down as typeof fetch,
    ).catch((e: unknown) => e);
    expect((other as OidcError).error).toBe("server_error");
    expect((other as OidcError).grantRejected).toBe(false);
  });

  it("logs out at the issuer with the ID token as hint", () => {
    const url = new URL(
      endSessionUrl(DISCOVERY, {
        clientId: "noxh-spa",
        idToken: "idt",
        postLogoutRedirectUri: "http://a/",
      }) ?? "",
    );
    expect(url.searchParams.get("id_token_hint")).toBe("idt");
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe("http://a/");
  });
});
