import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeJwt } from "@/test/jwt";
import { DraftStore } from "./drafts";
import { AuthSession } from "./session";
import { memoryTabs } from "./tabs";

const ORIGIN = "http://127.0.0.1:8000";
const ISSUER = `${ORIGIN}/auth`;
const TTL_S = 900;

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

/** Rotating refresh tokens: presenting a used one is refused (as a real issuer's replay detection). */
function fakeIssuer(clock: () => number) {
  const live = new Set<string>();
  const state = { serial: 0, refreshes: 0, replays: 0 };
  const issue = (sub = "s1") => {
    state.serial += 1;
    const refresh = `refresh-${state.serial}`;
    live.add(refresh);
    return {
      access_token: fakeJwt({
        sub,
        name: "Nguyễn Văn An",
        preferred_username: "so.xaydung",
        roles: ["province_officer"],
        area_codes: ["31"],
        exp: Math.floor(clock() / 1000) + TTL_S,
        serial: state.serial,
      }),
      token_type: "Bearer",
      expires_in: TTL_S,
      refresh_token: refresh,
    };
  };
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith("/.well-known/openid-configuration")) {
      return Response.json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorize`,
        token_endpoint: `${ISSUER}/token`,
        end_session_endpoint: `${ISSUER}/logout`,
      });
    }
    state.refreshes += 1;
    const presented = new URLSearchParams(String(init?.body)).get("refresh_token") ?? "";
    if (!live.delete(presented)) {
      state.replays += 1;
      return Response.json({ error: "invalid_grant" }, { status: 400 });
    }
    return Response.json(issue());
  };
  return { fetch: fetchFn as typeof fetch, live, state, issue };
}

describe("tabs share one session", () => {
  let now: number;
  let issuer: ReturnType<typeof fakeIssuer>;
  let join: ReturnType<typeof memoryTabs>;
  const tab = () => {
    const storage = new MemoryStorage();
    const session = new AuthSession({
      authority: ISSUER,
      clientId: "noxh-spa",
      scope: "openid profile",
      storage,
      drafts: new DraftStore(storage),
      origin: ORIGIN,
      fetch: issuer.fetch,
      navigate: () => undefined,
      now: () => now,
      tabs: join(),
    });
    return { session, storage };
  };

  beforeEach(() => {
    vi.useFakeTimers();
    now = Date.UTC(2026, 0, 5, 8, 0, 0);
    issuer = fakeIssuer(() => now);
    join = memoryTabs();
  });
  afterEach(() => vi.useRealTimers());

  /** A tab resumed from a refresh token the issuer knows (as after a login in it). */
  async function signedInTab() {
    const first = tab();
    const tokens = issuer.issue();
    first.storage.setItem("noxh.auth.refresh", tokens.refresh_token);
    await first.session.start(new URL(`${ORIGIN}/`));
    expect(first.session.getSnapshot().status).toBe("authenticated");
    return first;
  }

  it("a new tab gets the session from an open one instead of a login", async () => {
    const first = await signedInTab();
    const second = tab();
    const started = second.session.start(new URL(`${ORIGIN}/households`));
    await vi.advanceTimersByTimeAsync(10);
    expect(await started).toBeNull();
    expect(second.session.getSnapshot()).toMatchObject({ status: "authenticated" });
    expect(second.storage.getItem("noxh.auth.refresh")).toBe(first.storage.getItem("noxh.auth.refresh"));
  });

  it("a tab alone waits briefly, then asks to sign in", async () => {
    const only = tab();
    const started = only.session.start(new URL(`${ORIGIN}/`));
    await vi.advanceTimersByTimeAsync(400);
    await started;
    expect(only.session.getSnapshot().status).toBe("anonymous");
  });

  it("a renewal in one tab is handed to the others: the rotated token is never replayed", async () => {
    const first = await signedInTab();
    const second = tab();
    const started = second.session.start(new URL(`${ORIGIN}/`));
    await vi.advanceTimersByTimeAsync(10);
    await started;
    const refreshesBefore = issuer.state.refreshes;
    // Both tabs renew at the same moment (their timers are due together): one presents the refresh
    // token, the other waits for it and takes the tokens it got.
    await Promise.all([first.session.renew(), second.session.renew()]);
    expect(issuer.state.replays).toBe(0);
    expect(issuer.state.refreshes - refreshesBefore).toBe(1);
    expect(first.storage.getItem("noxh.auth.refresh")).toBe(second.storage.getItem("noxh.auth.refresh"));
    expect(await first.session.getAccessToken()).toBe(await second.session.getAccessToken());
    // Later, their timers fire together too: still one renewal.
    now += (TTL_S - 60) * 1000;
    await vi.advanceTimersByTimeAsync((TTL_S - 60) * 1000);
    expect(issuer.state.refreshes - refreshesBefore).toBe(2);
    expect(issuer.state.replays).toBe(0);
  });

  it("signing out in one tab signs out every tab", async () => {
    const first = await signedInTab();
    const second = tab();
    const started = second.session.start(new URL(`${ORIGIN}/`));
    await vi.advanceTimersByTimeAsync(10);
    await started;
    await first.session.logout();
    await vi.advanceTimersByTimeAsync(10);
    expect(second.session.getSnapshot()).toMatchObject({
      status: "anonymous",
      error: "signed_out_elsewhere",
    });
    expect(second.storage.getItem("noxh.auth.refresh")).toBeNull();
  });

  it("ignores tokens of another person while signed in", async () => {
    const first = await signedInTab();
    const channel = join();
    channel.post({ type: "tokens", tokens: issuer.issue("someone-else") });
    await vi.advanceTimersByTimeAsync(10);
    expect(first.session.getSnapshot().user?.subject).toBe("s1");
  });
});
