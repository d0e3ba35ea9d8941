/** Who sees which screen. The role lists mirror each service's `permissions.py`; the services decide,
 * the SPA only hides what would be refused. When a service refuses a screen's list anyway (a 403
 * `forbidden`), the screen is hidden for the rest of the session too. */
import type { User } from "./claims";

export type RoleRule = readonly string[] | "any";

export function hasRole(user: User | null, rule: RoleRule): boolean {
  if (!user) return false;
  if (rule === "any") return true;
  return user.roles.some((role) => rule.includes(role));
}

export class AccessStore {
  private denied: ReadonlySet<string> = new Set();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ReadonlySet<string> => this.denied;

  /** A service answered 403 to this screen's reads: stop offering it. */
  deny(screenId: string): void {
    if (this.denied.has(screenId)) return;
    this.denied = new Set([...this.denied, screenId]);
    for (const listener of this.listeners) listener();
  }

  reset(): void {
    this.denied = new Set();
    for (const listener of this.listeners) listener();
  }
}
