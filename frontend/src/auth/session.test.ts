import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeJwt } from "@/test/jwt";
import { DraftStore } from "./drafts";
import { s256 } from "./oidc";
import { AuthSession, SessionExpiredError } from "./session";

const ORIGIN = "http://127.0.0.1:8000";
const ISSUER = `${ORIGIN}/auth`;
const TTL_S = 900;

/** Just enough of the dev issuer: discovery, the code grant with PKCE, rotating refresh tokens. */
function fakeIssuer(clock: () => number) {
  const codes = new Map<string, { challenge: string; nonce: string }>();
  const live = new Set<string>();
  const state = { refuse: false, down: false, refreshes: 0, serial: 0 };
  const tokens = (nonce?: string) => {
    state.serial += 1;
    const refresh = `refresh-${state.serial}`;
    live.add(refresh);
    const exp = Math.floor(clock() / 1000) + TTL_S;
    return {
      access_token: fakeJwt({
        sub: "s1",
        name: "Phạm Thị Dung",
        preferred_username: "taichinh",
        roles: ["finance_officer"],
        area_codes: ["31"],
        exp,
        serial: state.serial,
      }),
      token_type: "Bearer",
      expires_in: TTL_S,
      refresh_token: refresh,
      id_token: fakeJwt({ sub: "s1", nonce, exp }),
    };
  };
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (state.down) throw new TypeError("Failed to fetch");
    if (url.endsWith("/.well-known/openid-configuration")) {
      return Response.json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorize`,
        token_endpoint: `${ISSUER}/token`,
        end_session_endpoint: `${ISSUER}/logout`,
      });
    }
    if (url === `${ISSUER}/token`) {
      const form = new URLSearchParams(String(init?.body));
      if (form.get("grant_type") === "authorization_code") {
        const code = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        if (!code || (await s256(form.get("code_verifier") ?? "")) !== code.challenge) {
          return Response.json({ error: "invalid_grant" }, { status: 400 });
        }
        return Response.json(tokens(code.nonce));
      }
      state.refreshes += 1;
      const presented = form.get("refresh_token") ?? "";
      if (state.refuse || !live.delete(presented))
        return Response.json({ error: "invalid_grant" }, { status: 400 });
      return Response.json(tokens());
    }
    return new Response("not found", { status: 404 });
  };
  return { fetch: fetchFn as typeof fetch, codes, live, state };
}

describe("AuthSession", () => {
  let now: number;
  let issuer: ReturnType<typeof fakeIssuer>;
  let navigations: string[];
  let drafts: DraftStore;
  let session: AuthSession;

  beforeEach(() => {
    vi.useFakeTimers();
    now = Date.UTC(2026, 0, 5, 8, 0, 0);
    issuer = fakeIssuer(() => now);
    navigations = [];
    drafts = new DraftStore(sessionStorage);
    session = new AuthSession({
      authority: ISSUER,
      clientId: "noxh-spa",
      scope: "openid profile",
      storage: sessionStorage,
      drafts,
      origin: ORIGIN,
      fetch: issuer.fetch,
      navigate: (url) => navigations.push(url),
      now: () => now,
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function signIn(returnTo = "/funding-sources?kind=housing_fund") {
    await session.login(returnTo);
    const authorize = new URL(navigations.at(-1) ?? "");
    const params = authorize.searchParams;
    issuer.codes.set("code-1", {
      challenge: params.get("code_challenge") ?? "",
      nonce: params.get("nonce") ?? "",
    });
    return session.start(
      new URL(`${ORIGIN}/callback?code=code-1&state=${params.get("state")}&iss=${ISSUER}`),
    );
  }

  /** Move the clock and run the timers due meanwhile. */
  async function advance(ms: number) {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  }

  it("signs in with code + PKCE and keeps only the refresh token in sessionStorage", async () => {
    const returnTo = await signIn();
    expect(returnTo).toBe("/funding-sources?kind=housing_fund");
    const authorize = new URL(navigations[0] ?? "");
    expect(authorize.origin + authorize.pathname).toBe(`${ISSUER}/authorize`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/callback`);
    const state = session.getSnapshot();
    expect(state.status).toBe("authenticated");
    expect(state.user?.name).toBe("Phạm Thị Dung");
    expect(state.user?.areaCodes).toEqual(["31"]);
    const stored = Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)]);
    expect(stored).toEqual([["noxh.auth.refresh", "refresh-1"]]);
    expect(JSON.stringify(stored)).not.toContain(await session.getAccessToken());
  });

  it("refuses a login answer that does not match this tab's request", async () => {
    await session.login("/");
    const goTo = await session.start(new URL(`${ORIGIN}/callback?code=x&state=forged`));
    expect(goTo).toBe("/");
    expect(session.getSnapshot()).toMatchObject({ status: "anonymous", error: "state_mismatch" });
    expect(issuer.state.serial).toBe(0);
  });

  it("renews silently a minute before the access token expires, rotating the refresh token", async () => {
    await signIn();
    const first = await session.getAccessToken();
    await advance((TTL_S - 61) * 1000);
    expect(issuer.state.refreshes).toBe(0);
    await advance(2_000);
    expect(issuer.state.refreshes).toBe(1);
    expect(await session.getAccessToken()).not.toBe(first);
    expect(sessionStorage.getItem("noxh.auth.refresh")).toBe("refresh-2");
    expect(issuer.live.has("refresh-1")).toBe(false);
  });

  it("renews once for many callers when the token is about to expire", async () => {
    await signIn();
    now += (TTL_S - 2) * 1000; // the timer was throttled (a hidden tab): the token is nearly gone
    const tokens = await Promise.all([
      session.getAccessToken(),
      session.getAccessToken(),
      session.getAccessToken(),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(issuer.state.refreshes).toBe(1);
  });

  it("resumes the tab's session from its refresh token after a reload", async () => {
    await signIn();
    const reloaded = new AuthSession({
      authority: ISSUER,
      clientId: "noxh-spa",
      scope: "openid profile",
      storage: sessionStorage,
      drafts,
      origin: ORIGIN,
      fetch: issuer.fetch,
      navigate: (url) => navigations.push(url),
      now: () => now,
    });
    expect(await reloaded.start(new URL(`${ORIGIN}/admin-units`))).toBeNull();
    expect(reloaded.getSnapshot().status).toBe("authenticated");
  });

  it("after a reload, forgets a refused refresh token but keeps one the issuer could not be asked about", async () => {
    await signIn();
    const reload = () =>
      new AuthSession({
        authority: ISSUER,
        clientId: "noxh-spa",
        scope: "openid profile",
        storage: sessionStorage,
        drafts,
        origin: ORIGIN,
        fetch: issuer.fetch,
        navigate: (url) => navigations.push(url),
        now: () => now,
      });
    issuer.state.down = true;
    const offline = reload();
    await offline.start(new URL(`${ORIGIN}/`));
    expect(offline.getSnapshot()).toMatchObject({ status: "anonymous", error: "network" });
    expect(sessionStorage.getItem("noxh.auth.refresh")).toBe("refresh-1");
    issuer.state.down = false;
    issuer.state.refuse = true;
    const refused = reload();
    await refused.start(new URL(`${ORIGIN}/`));
    expect(refused.getSnapshot()).toMatchObject({ status: "anonymous", error: null });
    expect(sessionStorage.getItem("noxh.auth.refresh")).toBeNull();
  });

  it("ends the session when renewal is refused, saving what forms hold", async () => {
    await signIn();
    drafts.register("funding-source:new", () => ({ values: { name: "Quỹ đang nhập" } }));
    issuer.state.refuse = true;
    await advance((TTL_S - 59) * 1000);
    expect(session.getSnapshot()).toMatchObject({ status: "expired", error: "invalid_grant" });
    expect(session.getSnapshot().user?.username).toBe("taichinh"); // the page stays as it was
    expect(sessionStorage.getItem("noxh.auth.refresh")).toBeNull();
    await expect(session.getAccessToken()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(drafts.take("funding-source:new")?.values).toEqual({ name: "Quỹ đang nhập" });
  });

  it("keeps the session through a network outage while the token lasts, then retries", async () => {
    await signIn();
    issuer.state.down = true;
    await advance((TTL_S - 59) * 1000);
    expect(session.getSnapshot().status).toBe("authenticated");
    issuer.state.down = false;
    await advance(15_000);
    expect(session.getSnapshot().status).toBe("authenticated");
    expect(sessionStorage.getItem("noxh.auth.refresh")).toBe("refresh-2");
  });

  it("logs out here and at the issuer", async () => {
    await signIn();
    await session.logout();
    expect(session.getSnapshot().status).toBe("anonymous");
    expect(sessionStorage.length).toBe(0);
    const logout = new URL(navigations.at(-1) ?? "");
    expect(logout.pathname).toBe("/auth/logout");
    expect(logout.searchParams.get("id_token_hint")).toBeTruthy();
    expect(logout.searchParams.get("post_logout_redirect_uri")).toBe(`${ORIGIN}/`);
  });
});
