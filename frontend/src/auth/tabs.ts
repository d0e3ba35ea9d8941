/** The tabs of one browser share one session: a renewal in any tab hands the new tokens to the
 * others (so rotating refresh tokens are used by one tab at a time, never replayed), a sign-out in any
 * tab signs all of them out, and a new tab asks the open ones for the session instead of a login.
 *
 * Tokens travel only over BroadcastChannel (same origin, in memory, never written to storage). Where
 * it is missing, only the sign-out is shared, through a `storage` event that carries no secret.
 * Renewals are serialised across tabs with the Web Locks API where the browser has it. */
import type { TokenResponse } from "./oidc";

export type TabMessage =
  | { type: "tokens"; tokens: TokenResponse }
  | { type: "signed-out" }
  | { type: "hello" };

export interface TabChannel {
  post(message: TabMessage): void;
  subscribe(listener: (message: TabMessage) => void): () => void;
  /** Run `task` while no other tab renews (or just run it where locks are missing). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** True when tokens can be shared (not only the sign-out). */
  readonly sharesTokens: boolean;
}

const NAME = "noxh.auth";
const LOCK = "noxh.auth.renew";
const SIGNED_OUT_KEY = "noxh.auth.signed-out";

function isMessage(value: unknown): value is TabMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (type === "signed-out" || type === "hello") return true;
  if (type !== "tokens") return false;
  const tokens = (value as { tokens?: unknown }).tokens as Partial<TokenResponse> | undefined;
  return typeof tokens?.access_token === "string" && typeof tokens.expires_in === "number";
}

async function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks?.request) return task();
  return locks.request(LOCK, task) as Promise<T>;
}

export function createTabChannel(): TabChannel | null {
  if (typeof window === "undefined") return null;
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(NAME);
    const listeners = new Set<(message: TabMessage) => void>();
    channel.onmessage = (event: MessageEvent) => {
      if (!isMessage(event.data)) return;
      for (const listener of listeners) listener(event.data);
    };
    return {
      sharesTokens: true,
      post: (message) => channel.postMessage(message),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      exclusive,
    };
  }
  if (typeof window.localStorage === "undefined") return null;
  return {
    sharesTokens: false,
    post: (message) => {
      if (message.type !== "signed-out") return;
      window.localStorage.setItem(SIGNED_OUT_KEY, String(Date.now()));
      window.localStorage.removeItem(SIGNED_OUT_KEY);
    },
    subscribe: (listener) => {
      const onStorage = (event: StorageEvent) => {
        if (event.key === SIGNED_OUT_KEY && event.newValue) listener({ type: "signed-out" });
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
    exclusive,
  };
}

/** Tabs in one test, joined in memory: what one posts, the others receive (not itself). */
export function memoryTabs() {
  const members = new Set<(message: TabMessage) => void>();
  let queue: Promise<unknown> = Promise.resolve();
  return (): TabChannel => {
    const own = new Set<(message: TabMessage) => void>();
    const deliver = (message: TabMessage) => {
      for (const listener of own) listener(structuredClone(message));
    };
    members.add(deliver);
    return {
      sharesTokens: true,
      post: (message) => {
        for (const member of members) if (member !== deliver) queueMicrotask(() => member(message));
      },
      subscribe: (listener) => {
        own.add(listener);
        return () => own.delete(listener);
      },
      exclusive: <T>(task: () => Promise<T>) => {
        const run = queue.then(task, task);
        queue = run.catch(() => undefined);
        return run;
      },
    };
  };
}
