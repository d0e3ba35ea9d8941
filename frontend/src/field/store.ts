/** The field app's data on the device: what was pulled, the outbox of mutations made here, and the
 * view that puts the two together (a finding shows its waiting change on top of the server's). */
import type { Tables, WriteOp } from "./db/tables";
import {
  type CaseRow,
  type ChangeItem,
  type ChecklistItem,
  ENTITY_TABLES,
  type EntryData,
  type EvidenceRow,
  type FindingData,
  type FindingRow,
  type OutboxEntry,
  type Outcome,
  type PhotoRecord,
  type TemplateVersionRow,
} from "./model";

export interface MetaRecord {
  id: string;
  value: unknown;
}

export type FindingState = "synced" | "waiting" | "conflict" | "rejected";

export interface PhotoView {
  sha256: string;
  capturedAt: string;
  latitude: number;
  longitude: number;
  local: PhotoRecord | null;
}

export interface FindingView {
  /** The server id, or `local:<client id>` for a finding not on the server yet. */
  key: string;
  serverId: string | null;
  /** The client id of the create that made it here (offline findings). */
  createClientId: string | null;
  checklistItemKey: string | null;
  outcome: Outcome;
  note: string | null;
  version: number | null;
  state: FindingState;
  photos: PhotoView[];
}

export interface NewPhoto {
  blob: Blob;
  type: string;
  sha256: string;
  latitude: number;
  longitude: number;
  accuracy: number | null;
  capturedAt: string;
}

export interface Clock {
  now(): string;
  uuid(): string;
}

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
  uuid: () => crypto.randomUUID(),
};

const OPEN_STATUSES = new Set(["assigned", "in_progress"]);
const TAKEN = new Set(["pending", "applied", "duplicate"]);

/** A case as the inspector should see it: the server's row with the steps taken on this device on top
 * (started here: in progress; concluded here: the conclusion, waiting to sync). */
export interface CaseView {
  row: CaseRow;
  status: string;
  checklistVersionId: string | null;
  conclusion: string | null;
  concludedOn: string | null;
  /** The step waiting on this device (or sent, not yet pulled back). */
  start: OutboxEntry | null;
  conclude: OutboxEntry | null;
}

export class FieldStore {
  private listeners = new Set<() => void>();

  constructor(
    readonly tables: Tables,
    private readonly clock: Clock = systemClock,
  ) {}

  // ---------------------------------------------------------------------------------- change feed

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  private async write(ops: WriteOp[]): Promise<void> {
    await this.tables.write(ops);
    this.changed();
  }

  // ---------------------------------------------------------------------------------------- meta

  async meta<T>(key: string): Promise<T | undefined> {
    return (await this.tables.get<MetaRecord>("meta", key))?.value as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.write([{ table: "meta", put: { id: key, value } }]);
  }

  async deviceId(): Promise<string> {
    const saved = await this.meta<string>("deviceId");
    if (saved) return saved;
    const made = `web-${this.clock.uuid()}`;
    await this.setMeta("deviceId", made);
    return made;
  }

  /** The device holds one inspector's work: another person signing in starts from a clean store,
   * unless work is still waiting (then they are refused: nothing is dropped). */
  async claim(subject: string): Promise<"ok" | "other_has_work"> {
    const owner = await this.meta<string>("subject");
    if (owner === subject) return "ok";
    if (owner && (await this.waiting()).length > 0) return "other_has_work";
    await this.write([
      ...ENTITY_TABLES.map((table): WriteOp => ({ table, clear: true })),
      { table: "outbox", clear: true },
      { table: "photos", clear: true },
      { table: "meta", delete: "cursor" },
      { table: "meta", put: { id: "subject", value: subject } },
    ]);
    return "ok";
  }

  // ---------------------------------------------------------------------------------------- pull

  /** Store one page of the pull and its cursor together: a page is never half-applied. */
  async applyChanges(items: ChangeItem[], cursor: string): Promise<void> {
    const ops: WriteOp[] = items.map((item) =>
      item.op === "upsert" && item.data
        ? { table: item.entity_type, put: { ...item.data, id: item.entity_id } }
        : { table: item.entity_type, delete: item.entity_id },
    );
    ops.push({ table: "meta", put: { id: "cursor", value: cursor } });
    ops.push({ table: "meta", put: { id: "pulledAt", value: this.clock.now() } });
    await this.write(ops);
  }

  // ---------------------------------------------------------------------------------------- reads

  /** The cases assigned to `subject` still to be worked, the soonest due first. */
  async myCases(subject: string): Promise<CaseRow[]> {
    const cases = await this.tables.all<CaseRow>("inspection_case");
    return cases
      .filter((c) => c.assigned_inspector === subject && OPEN_STATUSES.has(c.status))
      .sort(
        (a, b) => (a.due_on ?? "9999").localeCompare(b.due_on ?? "9999") || a.title.localeCompare(b.title),
      );
  }

  caseById(id: string): Promise<CaseRow | undefined> {
    return this.tables.get<CaseRow>("inspection_case", id);
  }

  /** The case with its steps taken here on top. A step refused or in conflict does not count. */
  async caseView(id: string): Promise<CaseView | undefined> {
    const row = await this.caseById(id);
    if (!row) return undefined;
    const entries = (await this.outbox()).filter((e) => e.caseId === id && TAKEN.has(e.status));
    const last = (action: OutboxEntry["action"]) => entries.filter((e) => e.action === action).at(-1) ?? null;
    const start = row.status === "assigned" ? last("case.start") : null;
    const conclude = row.status === "in_progress" || start ? last("case.conclude") : null;
    return {
      row,
      status: conclude ? "concluded" : start ? "in_progress" : row.status,
      checklistVersionId: row.checklist_version_id ?? start?.data.checklist_version_id ?? null,
      conclusion: row.conclusion ?? conclude?.data.conclusion ?? null,
      concludedOn: row.concluded_on ?? conclude?.data.concluded_on ?? null,
      start,
      conclude,
    };
  }

  /** The checklist template versions a case of `kind` may start on, the newest of each template first. */
  async checklistVersions(kind: string): Promise<(TemplateVersionRow & { title: string })[]> {
    const templates = await this.tables.all<{ id: string; kind: string; title: string }>(
      "checklist_template",
    );
    const ofKind = new Map(templates.filter((t) => t.kind === kind).map((t) => [t.id, t.title]));
    const versions = await this.tables.all<TemplateVersionRow>("checklist_template_version");
    return versions
      .filter((v) => ofKind.has(v.template_id))
      .map((v) => ({ ...v, title: ofKind.get(v.template_id) ?? "" }))
      .sort((a, b) => a.title.localeCompare(b.title) || b.number - a.number);
  }

  /** Findings of the case refused or in an open conflict: settle them before concluding (a
   * concluded case takes no more findings). Items still waiting do not block: they go first. */
  async unsettled(caseId: string): Promise<number> {
    return (await this.outbox()).filter(
      (e) =>
        e.caseId === caseId &&
        e.action.startsWith("finding.") &&
        (e.status === "rejected" || (e.status === "conflict" && e.conflict?.status !== "resolved")),
    ).length;
  }

  async checklist(
    row: CaseRow,
    versionId: string | null = row.checklist_version_id,
  ): Promise<ChecklistItem[]> {
    if (!versionId) return [];
    const version = await this.tables.get<TemplateVersionRow>("checklist_template_version", versionId);
    return version?.items ?? [];
  }

  outbox(): Promise<OutboxEntry[]> {
    return this.tables.all<OutboxEntry>("outbox");
  }

  async waiting(): Promise<OutboxEntry[]> {
    return (await this.outbox()).filter((e) => e.status === "pending");
  }

  photos(): Promise<PhotoRecord[]> {
    return this.tables.all<PhotoRecord>("photos");
  }

  /** The findings of a case as the inspector should see them: the server's, with the changes still
   * waiting on top, and the findings made here that the server does not have yet. */
  async findings(caseId: string): Promise<FindingView[]> {
    const [serverFindings, evidence, entries, photos] = await Promise.all([
      this.tables.all<FindingRow>("inspection_finding"),
      this.tables.all<EvidenceRow>("inspection_evidence"),
      this.outbox(),
      this.photos(),
    ]);
    const photoById = new Map(photos.map((p) => [p.id, p]));
    const views = new Map<string, FindingView>();
    const byCreate = new Map<string, FindingView>();
    for (const f of serverFindings.filter((f) => f.case_id === caseId)) {
      views.set(f.id, {
        key: f.id,
        serverId: f.id,
        createClientId: null,
        checklistItemKey: f.checklist_item_key,
        outcome: f.outcome,
        note: f.note,
        version: f.version,
        state: "synced",
        photos: evidence
          .filter((e) => e.finding_id === f.id)
          .map((e) => ({
            sha256: e.sha256,
            capturedAt: e.captured_at,
            latitude: e.latitude,
            longitude: e.longitude,
            local: null,
          })),
      });
    }
    const mark = (view: FindingView, entry: OutboxEntry) => {
      if (entry.status === "pending" && view.state === "synced") view.state = "waiting";
      if (entry.status === "conflict" && entry.conflict?.status !== "resolved") view.state = "conflict";
      if (entry.status === "rejected") view.state = "rejected";
    };
    const addPhotos = (view: FindingView, entry: OutboxEntry) => {
      for (const id of entry.photoIds) {
        const photo = photoById.get(id);
        if (!photo || view.photos.some((p) => p.sha256 === photo.sha256)) continue;
        view.photos.push({
          sha256: photo.sha256,
          capturedAt: photo.capturedAt,
          latitude: photo.latitude,
          longitude: photo.longitude,
          local: photo,
        });
      }
    };
    for (const entry of entries.filter((e) => e.caseId === caseId && e.action.startsWith("finding."))) {
      const overlay = entry.status === "pending" || entry.status === "rejected";
      if (entry.action === "finding.create") {
        const serverId = entry.result?.entityId ?? null;
        const existing = serverId ? views.get(serverId) : undefined;
        if (existing) {
          existing.createClientId = entry.clientId;
          byCreate.set(entry.clientId, existing);
          mark(existing, entry);
          continue;
        }
        const view: FindingView = {
          key: `local:${entry.clientId}`,
          serverId,
          createClientId: entry.clientId,
          checklistItemKey: entry.data.checklist_item_key ?? null,
          outcome: entry.data.outcome ?? "observation",
          note: entry.data.note ?? null,
          version: entry.result?.entityVersion ?? null,
          state: "waiting",
          photos: [],
        };
        mark(view, entry);
        addPhotos(view, entry);
        views.set(view.key, view);
        byCreate.set(entry.clientId, view);
        continue;
      }
      const target =
        (entry.findingId ? views.get(entry.findingId) : undefined) ??
        (entry.findingClientId ? byCreate.get(entry.findingClientId) : undefined);
      if (!target) continue;
      if (overlay) {
        if (entry.data.outcome !== undefined) target.outcome = entry.data.outcome;
        if (entry.data.note !== undefined) target.note = entry.data.note;
        addPhotos(target, entry);
      }
      mark(target, entry);
    }
    return [...views.values()];
  }

  // ------------------------------------------------------------------------------------- writes

  private async nextId(): Promise<number> {
    const entries = await this.outbox();
    const last = entries[entries.length - 1];
    return (last?.id ?? 0) + 1;
  }

  private photoRecords(caseId: string, photos: NewPhoto[]): PhotoRecord[] {
    return photos.map((p) => ({
      ...p,
      id: this.clock.uuid(),
      caseId,
      size: p.blob.size,
      createdAt: this.clock.now(),
      status: "pending",
      evidenceId: null,
      code: null,
      detail: null,
    }));
  }

  private entry(partial: Pick<OutboxEntry, "action" | "caseId"> & Partial<OutboxEntry>, id: number) {
    const entry: OutboxEntry = {
      id,
      clientId: this.clock.uuid(),
      findingId: null,
      findingClientId: null,
      baseVersion: null,
      baseClientId: null,
      data: {},
      photoIds: [],
      createdAt: this.clock.now(),
      status: "pending",
      sentAt: null,
      attempts: 0,
      lastError: null,
      result: null,
      conflict: null,
      ...partial,
    };
    return entry;
  }

  /** A new finding: its photos and its `finding.create` are stored together. */
  async recordFinding(
    caseId: string,
    data: { checklistItemKey: string | null; outcome: Outcome; note: string | null },
    photos: NewPhoto[],
  ): Promise<OutboxEntry> {
    const records = this.photoRecords(caseId, photos);
    const payload: FindingData = { outcome: data.outcome };
    if (data.checklistItemKey) payload.checklist_item_key = data.checklistItemKey;
    if (data.note) payload.note = data.note;
    const entry = this.entry(
      { action: "finding.create", caseId, data: payload, photoIds: records.map((r) => r.id) },
      await this.nextId(),
    );
    await this.write([
      ...records.map((r) => ({ table: "photos" as const, put: r })),
      { table: "outbox", put: entry },
    ]);
    return entry;
  }

  /** A change to a finding. A change not sent yet is amended in place; otherwise a `finding.update`
   * is queued, made on the version the device last saw. */
  async editFinding(
    caseId: string,
    view: FindingView,
    change: { outcome: Outcome; note: string | null },
    photos: NewPhoto[],
  ): Promise<OutboxEntry> {
    const records = this.photoRecords(caseId, photos);
    const entries = await this.outbox();
    const unsent = entries.find(
      (e) =>
        e.status === "pending" &&
        e.sentAt === null &&
        ((e.action === "finding.create" && e.clientId === view.createClientId && !view.serverId) ||
          (e.action === "finding.update" &&
            ((view.serverId !== null && e.findingId === view.serverId) ||
              (view.createClientId !== null && e.findingClientId === view.createClientId)))),
    );
    let entry: OutboxEntry;
    if (unsent) {
      entry = {
        ...unsent,
        data: { ...unsent.data, outcome: change.outcome, note: change.note },
        photoIds: [...unsent.photoIds, ...records.map((r) => r.id)],
      };
      if (entry.action === "finding.create" && !change.note) delete entry.data.note;
    } else {
      const onServer = view.serverId !== null && view.version !== null;
      entry = this.entry(
        {
          action: "finding.update",
          caseId,
          data: { outcome: change.outcome, note: change.note },
          photoIds: records.map((r) => r.id),
          findingId: onServer ? view.serverId : null,
          findingClientId: onServer ? null : view.createClientId,
          // A finding made offline is at version 1 when its create is applied.
          baseVersion: onServer ? view.version : 1,
        },
        await this.nextId(),
      );
    }
    await this.write([
      ...records.map((r) => ({ table: "photos" as const, put: r })),
      { table: "outbox", put: entry },
    ]);
    return entry;
  }

  /** Start the case here (offline too): a `case.start` on the case version the device holds, queued
   * before the findings that follow it. */
  async startCase(caseId: string, checklistVersionId: string | null): Promise<OutboxEntry> {
    const view = await this.caseView(caseId);
    if (!view) throw new Error("unknown case");
    if (view.status !== "assigned") throw new Error("not_assigned");
    const data: EntryData = {};
    if (checklistVersionId) data.checklist_version_id = checklistVersionId;
    const entry = this.entry(
      { action: "case.start", caseId, data, baseVersion: view.row.version },
      await this.nextId(),
    );
    await this.write([{ table: "outbox", put: entry }]);
    return entry;
  }

  /** Conclude the case here (offline too): a `case.conclude` queued after the case's findings, made on
   * the case version the device holds, or on what the start made here leaves (`baseClientId`) while
   * that start is not pulled back yet. */
  async concludeCase(caseId: string, conclusion: string, concludedOn: string): Promise<OutboxEntry> {
    const view = await this.caseView(caseId);
    if (!view) throw new Error("unknown case");
    if (view.status !== "in_progress") throw new Error("not_in_progress");
    if ((await this.unsettled(caseId)) > 0) throw new Error("unsettled");
    const start = view.start;
    const entry = this.entry(
      {
        action: "case.conclude",
        caseId,
        data: { conclusion, concluded_on: concludedOn },
        baseVersion: start ? null : view.row.version,
        baseClientId: start ? start.clientId : null,
      },
      await this.nextId(),
    );
    await this.write([{ table: "outbox", put: entry }]);
    return entry;
  }

  async saveEntry(entry: OutboxEntry): Promise<void> {
    await this.write([{ table: "outbox", put: entry }]);
  }

  async savePhoto(photo: PhotoRecord): Promise<void> {
    await this.write([{ table: "photos", put: photo }]);
  }

  /** Send a rejected item again (after its cause was fixed). */
  async retry(entryId: number): Promise<void> {
    const entry = await this.tables.get<OutboxEntry>("outbox", entryId);
    if (entry?.status !== "rejected") return;
    const photos = await this.photos();
    const ops: WriteOp[] = [{ table: "outbox", put: { ...entry, status: "pending", result: null } }];
    for (const p of photos) {
      if (entry.photoIds.includes(p.id) && p.status === "rejected") {
        ops.push({ table: "photos", put: { ...p, status: "pending", code: null, detail: null } });
      }
    }
    await this.write(ops);
  }

  /** Forget what the server accepted (kept until then to show its answer). */
  async clearSent(): Promise<void> {
    const entries = await this.outbox();
    const photos = await this.photos();
    const done = entries.filter((e) => e.status === "applied" || e.status === "duplicate");
    const keep = new Set(entries.filter((e) => !done.includes(e)).flatMap((e) => e.photoIds));
    await this.write([
      ...done.map((e) => ({ table: "outbox" as const, delete: e.id })),
      ...photos
        .filter((p) => p.status === "uploaded" && !keep.has(p.id))
        .map((p) => ({ table: "photos" as const, delete: p.id })),
    ]);
  }
}
