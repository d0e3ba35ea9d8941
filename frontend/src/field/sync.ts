/** Sync with inspection-api: photos first, then the outbox in order, then pull what changed.
 * Each outbox item keeps the server's answer (applied, duplicate, conflict with both versions,
 * rejected with its reason). A sync cut off halfway leaves the rest pending: the next one resumes,
 * and items the server already had come back `duplicate`. */
import type {
  ChangePage,
  ConflictRead,
  ConflictView,
  MutationResult,
  OutboxEntry,
  PhotoRecord,
} from "./model";
import type { FieldStore } from "./store";

/** The network or the session failed: nothing is wrong with the item, try again later. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly reason: "offline" | "auth" | "server" = "offline",
  ) {
    super(message);
    this.name = "TransientError";
  }
}

export type UploadAnswer =
  | { ok: true; evidenceId: string; sha256: string }
  | { ok: false; code: string; detail: string };

export interface Transport {
  pull(cursor: string | null): Promise<ChangePage>;
  uploadPhoto(photo: PhotoRecord): Promise<UploadAnswer>;
  push(deviceId: string, mutations: Record<string, unknown>[]): Promise<MutationResult[]>;
  conflict(id: string): Promise<ConflictRead>;
  resolve(id: string, version: number, resolution: "keep_server" | "apply_client"): Promise<ConflictRead>;
}

export interface SyncReport {
  at: string;
  photos: number;
  results: Record<MutationResult["outcome"], number>;
  pulled: number;
  error: string | null;
  errorReason: TransientError["reason"] | null;
}

export interface SyncState {
  running: boolean;
  last: SyncReport | null;
}

const BATCH = 100;
const MAX_PULL_PAGES = 200;

export function conflictView(c: ConflictRead): ConflictView {
  return {
    id: c.id,
    status: c.status,
    version: c.version,
    baseVersion: c.base_version,
    serverVersion: c.server_version,
    client: c.client_changes,
    server: c.server_state,
    resolution: c.resolution,
  };
}

export class SyncEngine {
  private state: SyncState = { running: false, last: null };
  private current: Promise<SyncReport> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: FieldStore,
    private readonly transport: Transport,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SyncState => this.state;

  private set(next: Partial<SyncState>): void {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }

  /** One sync at a time: a second call while one runs gets the running one. */
  sync(options: { push?: boolean } = {}): Promise<SyncReport> {
    this.current ??= this.run(options.push ?? true).finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async run(push: boolean): Promise<SyncReport> {
    this.set({ running: true });
    const report: SyncReport = {
      at: this.now(),
      photos: 0,
      results: { applied: 0, duplicate: 0, conflict: 0, rejected: 0 },
      pulled: 0,
      error: null,
      errorReason: null,
    };
    try {
      if (push) {
        await this.uploadPhotos(report);
        await this.pushMutations(report);
      }
      await this.pull(report);
    } catch (exc) {
      report.error = exc instanceof Error ? exc.message : String(exc);
      report.errorReason = exc instanceof TransientError ? exc.reason : "server";
    } finally {
      this.set({ running: false, last: report });
    }
    return report;
  }

  /** Photos first, except those of a case started on this device and not yet on the server (a case
   * takes photos once in progress): they go right after the start, before the finding that uses them. */
  private async uploadPhotos(report: SyncReport): Promise<void> {
    const entries = (await this.store.outbox()).filter((e) => e.status === "pending");
    const notStarted = new Set(entries.filter((e) => e.action === "case.start").map((e) => e.caseId));
    const wanted = new Set(entries.filter((e) => !notStarted.has(e.caseId)).flatMap((e) => e.photoIds));
    const photos = (await this.store.photos()).filter((p) => p.status === "pending" && wanted.has(p.id));
    for (const photo of photos) await this.uploadPhoto(photo, report);
  }

  private async uploadPhoto(photo: PhotoRecord, report: SyncReport): Promise<void> {
    const answer = await this.transport.uploadPhoto(photo);
    if (answer.ok) {
      await this.store.savePhoto({ ...photo, status: "uploaded", evidenceId: answer.evidenceId });
      report.photos += 1;
    } else {
      await this.store.savePhoto({ ...photo, status: "rejected", code: answer.code, detail: answer.detail });
    }
  }

  private async pushMutations(report: SyncReport): Promise<void> {
    const deviceId = await this.store.deviceId();
    for (;;) {
      const photos = new Map((await this.store.photos()).map((p) => [p.id, p]));
      const pending = (await this.store.outbox()).filter((e) => e.status === "pending");
      if (pending.length === 0) return;
      const batch: OutboxEntry[] = [];
      let upload: PhotoRecord[] = [];
      for (const entry of pending) {
        const own = entry.photoIds.map((id) => photos.get(id));
        const refused = own.find((p) => p === undefined || p.status === "rejected");
        if (refused !== undefined || own.some((p) => p === undefined)) {
          // A photo the server refused: the item cannot go; say why and keep it.
          await this.store.saveEntry({
            ...entry,
            status: "rejected",
            result: {
              code: refused?.code ?? "photo_missing",
              detail: refused?.detail ?? "A photo of this item is no longer on the device.",
            },
          });
          report.results.rejected += 1;
          continue;
        }
        // Photos still waiting (a case started in this batch, or an upload cut off): send what comes
        // before, then upload them, then go on; the order is kept.
        if (own.some((p) => p?.status !== "uploaded")) {
          if (batch.length === 0) upload = own.filter((p): p is PhotoRecord => p?.status === "pending");
          break;
        }
        batch.push(entry);
        if (batch.length === BATCH) break;
      }
      if (batch.length === 0) {
        if (upload.length === 0) return;
        for (const photo of upload) await this.uploadPhoto(photo, report);
        continue;
      }
      const sentAt = this.now();
      for (const entry of batch) {
        if (entry.sentAt === null)
          await this.store.saveEntry({ ...entry, sentAt, attempts: entry.attempts + 1 });
        else await this.store.saveEntry({ ...entry, attempts: entry.attempts + 1 });
      }
      const mutations = batch.map((e) => toMutation(e, photos));
      let results: MutationResult[];
      try {
        results = await this.transport.push(deviceId, mutations);
      } catch (exc) {
        for (const entry of batch) {
          const saved = await this.store.tables.get<OutboxEntry>("outbox", entry.id);
          if (saved)
            await this.store.saveEntry({
              ...saved,
              lastError: String(exc instanceof Error ? exc.message : exc),
            });
        }
        throw exc;
      }
      const byClient = new Map(results.map((r) => [r.client_id, r]));
      let answered = 0;
      for (const entry of batch) {
        const saved = (await this.store.tables.get<OutboxEntry>("outbox", entry.id)) ?? entry;
        const answer = byClient.get(entry.clientId);
        if (!answer) continue; // not answered: stays pending, sent again next time
        answered += 1;
        report.results[answer.outcome] += 1;
        let conflict: ConflictView | null = saved.conflict;
        if (answer.conflict_id) {
          try {
            conflict = conflictView(await this.transport.conflict(answer.conflict_id));
          } catch {
            // The answer is kept; the two versions are fetched on the next sync.
          }
        }
        await this.store.saveEntry({
          ...saved,
          status: answer.outcome,
          lastError: null,
          result: {
            entityId: answer.entity_id ?? null,
            entityVersion: answer.entity_version ?? null,
            conflictId: answer.conflict_id ?? null,
            code: answer.code ?? null,
            detail: answer.detail ?? null,
          },
          conflict,
        });
      }
      if (answered < batch.length) return;
    }
  }

  private async pull(report: SyncReport): Promise<void> {
    // Conflicts whose two versions did not arrive with the answer.
    for (const entry of await this.store.outbox()) {
      if (entry.status === "conflict" && entry.result?.conflictId && entry.conflict === null) {
        await this.store.saveEntry({
          ...entry,
          conflict: conflictView(await this.transport.conflict(entry.result.conflictId)),
        });
      }
    }
    for (let page = 0; page < MAX_PULL_PAGES; page += 1) {
      const cursor = (await this.store.meta<string>("cursor")) ?? null;
      const answer = await this.transport.pull(cursor);
      await this.store.applyChanges(answer.items, answer.next_cursor);
      report.pulled += answer.items.length;
      if (answer.items.length === 0) return;
    }
  }

  /** Decide a conflict (online): keep the server's finding or apply this device's change on it. */
  async resolve(entry: OutboxEntry, resolution: "keep_server" | "apply_client"): Promise<void> {
    if (!entry.conflict) return;
    const answer = await this.transport.resolve(entry.conflict.id, entry.conflict.version, resolution);
    await this.store.saveEntry({ ...entry, conflict: conflictView(answer) });
    await this.sync({ push: false });
  }
}

export function toMutation(entry: OutboxEntry, photos: Map<string, PhotoRecord>): Record<string, unknown> {
  const mutation: Record<string, unknown> = {
    client_id: entry.clientId,
    action: entry.action,
    case_id: entry.caseId,
    data: entry.data,
    photo_sha256: entry.photoIds.map((id) => photos.get(id)?.sha256 ?? ""),
  };
  if (entry.action === "case.start") mutation.base_version = entry.baseVersion;
  if (entry.action === "case.conclude") {
    if (entry.baseClientId) mutation.base_client_id = entry.baseClientId;
    else mutation.base_version = entry.baseVersion;
  }
  if (entry.action === "finding.update") {
    if (entry.findingId) mutation.finding_id = entry.findingId;
    else mutation.finding_client_id = entry.findingClientId;
    mutation.base_version = entry.baseVersion;
  }
  return mutation;
}
