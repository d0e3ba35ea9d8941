/** The signed-in session: access and ID tokens in memory only, the rotating refresh token in
 * sessionStorage (so a reload of this tab keeps the session, and closing the tab ends it), renewal
 * before the access token expires, and a clear "expired" state when renewal is refused. */
import { decodeJwtPayload, type User, userFromAccessToken } from "./claims";
import type { DraftStore } from "./drafts";
import {
  authorizeUrl,
  createPkce,
  discover,
  endSessionUrl,
  exchangeCode,
  type IssuerMetadata,
  OidcError,
  randomToken,
  refreshTokens,
  type TokenResponse,
} from "./oidc";
import type { TabChannel, TabMessage } from "./tabs";

export const CALLBACK_PATH = "/callback";
const REFRESH_KEY = "noxh.auth.refresh";
const PENDING_KEY = "noxh.auth.pending";
/** Renew this long before expiry (or a quarter of the lifetime, for short-lived tokens). */
const RENEW_MARGIN_S = 60;
/** A renewal that failed for want of network is tried again this often while the token lasts. */
const RETRY_DELAY_MS = 15_000;
/** A new tab waits this long for an open tab to hand over the session before showing "sign in". */
const JOIN_WAIT_MS = 300;

export type SessionStatus = "loading" | "anonymous" | "authenticated" | "expired";

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  /** Why the last sign-in or renewal failed (an OAuth error code or "network"). */
  error: string | null;
}

export interface SessionOptions {
  authority: string;
  clientId: string;
  scope: string;
  storage: Storage;
  drafts: DraftStore;
  origin?: string;
  fetch?: typeof fetch;
  navigate?: (url: string) => void;
  now?: () => number;
  language?: () => string;
  /** The other tabs of this browser (see tabs.ts); none: this tab's session is its own. */
  tabs?: TabChannel | null;
}

interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
}

export class SessionExpiredError extends Error {
  constructor() {
    super("the session has ended; sign in again");
    this.name = "SessionExpiredError";
  }
}

export class AuthSession {
  private state: SessionState = { status: "loading", user: null, error: null };
  private readonly listeners = new Set<() => void>();
  private meta: IssuerMetadata | null = null;
  private accessToken: string | null = null;
  private idToken: string | null = null;
  private expiresAt = 0; // ms
  private renewing: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly fetchFn: typeof fetch;
  private readonly navigate: (url: string) => void;
  private readonly now: () => number;
  private readonly origin: string;
  private readonly tabs: TabChannel | null;

  constructor(private readonly options: SessionOptions) {
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
    this.navigate = options.navigate ?? ((url) => window.location.assign(url));
    this.now = options.now ?? (() => Date.now());
    this.origin = options.origin ?? window.location.origin;
    this.tabs = options.tabs ?? null;
    this.tabs?.subscribe(this.onTabMessage);
  }

  // ------------------------------------------------------------------ other tabs

  private readonly onTabMessage = (message: TabMessage): void => {
    if (message.type === "hello") {
      // A new tab asks for the session: hand over the current tokens (never a stale one).
      if (this.state.status === "authenticated" && this.accessToken && this.now() < this.expiresAt - 5_000) {
        this.tabs?.post({ type: "tokens", tokens: this.currentTokens() });
      }
      return;
    }
    if (message.type === "signed-out") {
      if (this.state.status === "anonymous") return;
      this.clearTokens();
      this.options.drafts.clearAll();
      this.set({ status: "anonymous", user: null, error: "signed_out_elsewhere" });
      return;
    }
    // Another tab renewed (or signed in): take its tokens, unless this tab is someone else's session.
    let subject: string;
    try {
      subject = userFromAccessToken(message.tokens.access_token).subject;
    } catch {
      return;
    }
    const mine = this.state.user?.subject;
    if (this.state.status === "authenticated" && mine && mine !== subject) return;
    this.accept(message.tokens, false);
  };

  private currentTokens(): TokenResponse {
    const refresh = this.options.storage.getItem(REFRESH_KEY);
    return {
      access_token: this.accessToken ?? "",
      token_type: "Bearer",
      expires_in: Math.max(1, Math.floor((this.expiresAt - this.now()) / 1000)),
      ...(refresh ? { refresh_token: refresh } : {}),
      ...(this.idToken ? { id_token: this.idToken } : {}),
    };
  }

  /** Ask the open tabs for their session; true when one handed it over in time. */
  private async join(): Promise<boolean> {
    if (!this.tabs?.sharesTokens) return false;
    const joined = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(false);
      }, JOIN_WAIT_MS);
      const unsubscribe = this.subscribe(() => {
        if (this.state.status === "authenticated") {
          clearTimeout(timer);
          unsubscribe();
          resolve(true);
        }
      });
    });
    this.tabs.post({ type: "hello" });
    return joined;
  }

  // ------------------------------------------------------------------ React's external store

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState => this.state;

  private set(next: Partial<SessionState>): void {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }

  get redirectUri(): string {
    return this.origin + CALLBACK_PATH;
  }

  private async metadata(): Promise<IssuerMetadata> {
    this.meta ??= await discover(this.options.authority, this.fetchFn);
    return this.meta;
  }

  // ------------------------------------------------------------------ starting

  /** Called once before the first render. Finishes a login coming back to the callback, or resumes
   * the tab's session from its refresh token. Returns where the app should go (a path), if anywhere. */
  async start(url: URL): Promise<string | null> {
    if (url.pathname === CALLBACK_PATH && (url.searchParams.has("code") || url.searchParams.has("error"))) {
      try {
        return await this.handleCallback(url);
      } catch (exc) {
        this.set({
          status: "anonymous",
          user: null,
          error: exc instanceof OidcError ? exc.error : "callback",
        });
        return "/";
      }
    }
    if (this.options.storage.getItem(REFRESH_KEY)) {
      try {
        await this.renew();
        return null;
      } catch (exc) {
        // A refused grant is gone for good; an unreachable issuer may answer after a reload, so the
        // refresh token is kept for that.
        const unreachable =
          !(exc instanceof OidcError && exc.grantRejected) && !(exc instanceof SessionExpiredError);
        if (!unreachable) this.clearTokens();
        this.set({ status: "anonymous", user: null, error: unreachable ? "network" : null });
        return null;
      }
    }
    if (await this.join()) return null;
    this.set({ status: "anonymous", user: null, error: null });
    return null;
  }

  async handleCallback(url: URL): Promise<string> {
    const raw = this.options.storage.getItem(PENDING_KEY);
    this.options.storage.removeItem(PENDING_KEY);
    const pending = raw ? (JSON.parse(raw) as Pending) : null;
    const params = url.searchParams;
    if (!pending || params.get("state") !== pending.state) {
      throw new OidcError("state_mismatch", "the login answer does not belong to this tab's request");
    }
    const meta = await this.metadata();
    const iss = params.get("iss");
    if (iss !== null && iss !== meta.issuer) throw new OidcError("issuer_mismatch");
    const error = params.get("error");
    if (error) throw new OidcError(error, params.get("error_description") ?? undefined);
    const tokens = await exchangeCode(
      meta,
      {
        clientId: this.options.clientId,
        code: params.get("code") ?? "",
        redirectUri: this.redirectUri,
        codeVerifier: pending.verifier,
      },
      this.fetchFn,
    );
    if (tokens.id_token) {
      const nonce = decodeJwtPayload(tokens.id_token).nonce;
      if (nonce !== pending.nonce) throw new OidcError("nonce_mismatch");
    }
    this.accept(tokens);
    return pending.returnTo.startsWith("/") && !pending.returnTo.startsWith("//") ? pending.returnTo : "/";
  }

  // ------------------------------------------------------------------ login and logout

  /** Go to the issuer's login page; come back to `returnTo` (a path of this app). Forms' drafts are
   * saved first, so nothing typed is lost. */
  async login(returnTo = "/"): Promise<void> {
    this.options.drafts.saveAll(this.now());
    const meta = await this.metadata();
    const { verifier, challenge } = await createPkce();
    const pending: Pending = { state: randomToken(16), verifier, nonce: randomToken(16), returnTo };
    this.options.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    const language = this.options.language?.();
    this.navigate(
      authorizeUrl(meta, {
        clientId: this.options.clientId,
        redirectUri: this.redirectUri,
        scope: this.options.scope,
        state: pending.state,
        nonce: pending.nonce,
        codeChallenge: challenge,
        ...(language ? { uiLocales: language } : {}),
      }),
    );
  }

  /** End the session here and at the issuer (which revokes the refresh token). */
  async logout(): Promise<void> {
    const idToken = this.idToken ?? undefined;
    this.clearTokens();
    this.tabs?.post({ type: "signed-out" });
    this.options.drafts.clearAll();
    this.set({ status: "anonymous", user: null, error: null });
    const home = `${this.origin}/`;
    let target = home;
    try {
      const meta = await this.metadata();
      target =
        endSessionUrl(meta, {
          clientId: this.options.clientId,
          ...(idToken ? { idToken } : {}),
          postLogoutRedirectUri: home,
        }) ?? home;
    } catch {
      // The issuer is unreachable: the local session is gone all the same.
    }
    this.navigate(target);
  }

  // ------------------------------------------------------------------ tokens

  /** A valid access token, renewed first when it is about to expire. */
  async getAccessToken(): Promise<string> {
    if (this.state.status !== "authenticated" || !this.accessToken) throw new SessionExpiredError();
    if (this.now() >= this.expiresAt - 5_000) await this.renew();
    if (!this.accessToken) throw new SessionExpiredError();
    return this.accessToken;
  }

  /** Use the refresh token now (one renewal at a time). A refused grant ends the session. */
  renew(): Promise<void> {
    this.renewing ??= this.doRenew().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async doRenew(): Promise<void> {
    const before = this.options.storage.getItem(REFRESH_KEY);
    if (!this.tabs) return this.renewNow();
    // One tab at a time: a tab that waited finds the tokens another tab renewed meanwhile.
    return this.tabs.exclusive(async () => {
      const current = this.options.storage.getItem(REFRESH_KEY);
      if (current && current !== before && this.accessToken && this.now() < this.expiresAt - 5_000) return;
      await this.renewNow();
    });
  }

  private async renewNow(): Promise<void> {
    const refreshToken = this.options.storage.getItem(REFRESH_KEY);
    if (!refreshToken) {
      this.expire();
      throw new SessionExpiredError();
    }
    let tokens: TokenResponse;
    try {
      tokens = await refreshTokens(
        await this.metadata(),
        { clientId: this.options.clientId, refreshToken },
        this.fetchFn,
      );
    } catch (exc) {
      if (exc instanceof OidcError && exc.grantRejected) {
        this.expire(exc.error);
        throw new SessionExpiredError();
      }
      // The issuer could not be reached: try again soon while the current token still works.
      if (this.state.status === "authenticated" && this.now() < this.expiresAt) {
        this.schedule(Math.min(RETRY_DELAY_MS, Math.max(0, this.expiresAt - this.now() - 1_000)));
      } else if (this.state.status === "authenticated") {
        this.expire("network");
      }
      throw exc;
    }
    this.accept(tokens);
  }

  /** The session ended without the person asking: keep what they typed, ask them to sign in again. */
  expire(reason = "session_expired"): void {
    if (this.state.status === "authenticated") this.options.drafts.saveAll(this.now());
    this.clearTokens();
    this.set({ status: "expired", error: reason });
  }

  private accept(tokens: TokenResponse, share = true): void {
    const user = userFromAccessToken(tokens.access_token);
    this.accessToken = tokens.access_token;
    if (tokens.id_token) this.idToken = tokens.id_token;
    this.expiresAt = this.now() + tokens.expires_in * 1000;
    if (tokens.refresh_token) this.options.storage.setItem(REFRESH_KEY, tokens.refresh_token);
    const lifetimeS = tokens.expires_in;
    const marginS = Math.min(RENEW_MARGIN_S, lifetimeS / 4);
    this.schedule(Math.max(0, (lifetimeS - marginS) * 1000));
    this.set({ status: "authenticated", user, error: null });
    if (share) this.tabs?.post({ type: "tokens", tokens });
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.renew().catch(() => undefined);
    }, delayMs);
  }

  private clearTokens(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.accessToken = null;
    this.idToken = null;
    this.expiresAt = 0;
    this.options.storage.removeItem(REFRESH_KEY);
  }

  /** When a hidden tab comes back, its timers may have been throttled: renew if it is time. */
  wake(): void {
    if (this.state.status === "authenticated" && this.now() >= this.expiresAt - RENEW_MARGIN_S * 1000) {
      this.renew().catch(() => undefined);
    }
  }
}
