/** What a person was typing, kept in sessionStorage when their session ends mid-form, so it is put
 * back after they sign in again. Forms register a getter; the session saves them all before it
 * leaves the page (or as soon as a renewal fails). */

const PREFIX = "noxh.draft.";

export interface Draft<V = unknown> {
  values: V;
  /** The ETag the form was editing, so a restored edit still detects someone else's change. */
  etag?: string | undefined;
  savedAt: number;
}

type Snapshot = () => { values: unknown; etag?: string | undefined } | null;

export class DraftStore {
  private readonly forms = new Map<string, Snapshot>();

  constructor(private readonly storage: Storage) {}

  /** Register a form under a key; returns the function that unregisters it. */
  register(key: string, snapshot: Snapshot): () => void {
    this.forms.set(key, snapshot);
    return () => {
      if (this.forms.get(key) === snapshot) this.forms.delete(key);
    };
  }

  /** Save every registered form that has something to keep. */
  saveAll(now: number = Date.now()): number {
    let saved = 0;
    for (const [key, snapshot] of this.forms) {
      const current = snapshot();
      if (current === null) continue;
      const draft: Draft = { values: current.values, etag: current.etag, savedAt: now };
      try {
        this.storage.setItem(PREFIX + key, JSON.stringify(draft));
        saved += 1;
      } catch {
        // Storage full or disabled: nothing more can be done without the network.
      }
    }
    return saved;
  }

  /** The saved draft of a form, removed from storage (it is restored once). */
  take<V>(key: string): Draft<V> | null {
    const raw = this.storage.getItem(PREFIX + key);
    if (raw === null) return null;
    this.storage.removeItem(PREFIX + key);
    try {
      return JSON.parse(raw) as Draft<V>;
    } catch {
      return null;
    }
  }

  discard(key: string): void {
    this.storage.removeItem(PREFIX + key);
  }

  clearAll(): void {
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i += 1) {
      const key = this.storage.key(i);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    for (const key of keys) this.storage.removeItem(key);
  }
}
