/** The field app's sign-in: the shared OIDC session (src/auth) as the `noxh-inspector-app` client,
 * coming back to /field/callback. A day in the field outlives a browser tab, so the refresh token is
 * kept in localStorage; and a renewal that fails for want of network does not throw it away (the
 * work waits, and the session resumes when the network is back). */
import { DraftStore } from "@/auth/drafts";
import { AuthSession } from "@/auth/session";

export const FIELD_BASE = "/field";
const REFRESH_KEY = "noxh.auth.refresh";

export class FieldSession extends AuthSession {
  constructor(
    private readonly store: Storage,
    authority: string,
    language: () => string,
  ) {
    super({
      authority,
      clientId: "noxh-inspector-app",
      scope: "openid profile",
      storage: store,
      drafts: new DraftStore(window.sessionStorage),
      origin: window.location.origin + FIELD_BASE,
      language,
      tabs: null,
    });
  }

  override expire(reason?: string): void {
    const refresh = this.store.getItem(REFRESH_KEY);
    super.expire(reason);
    if (reason === "network" && refresh) this.store.setItem(REFRESH_KEY, refresh);
  }

  hasRefreshToken(): boolean {
    return this.store.getItem(REFRESH_KEY) !== null;
  }

  /** Resume after the network came back (or at start), when a refresh token is kept. */
  async resume(): Promise<boolean> {
    if (this.getSnapshot().status === "authenticated") return true;
    if (!this.hasRefreshToken()) return false;
    try {
      await this.renew();
      return true;
    } catch {
      return false;
    }
  }

  /** The login answer comes to /field/callback; the shared session knows it as /callback. */
  startHere(href: string): Promise<string | null> {
    const url = new URL(href);
    if (url.pathname === `${FIELD_BASE}/callback`) url.pathname = "/callback";
    return this.start(url);
  }
}
