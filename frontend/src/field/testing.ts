/** Test helpers for the field app: a deterministic clock and a fake sync API that behaves like
 * inspection-api's (dedupe by client id, conflicts on base version, photos by hash). */
import type { ChangeItem, ChangePage, ConflictRead, MutationResult, PhotoRecord } from "./model";
import type { Clock } from "./store";
import { TransientError, type Transport, type UploadAnswer } from "./sync";

export function testClock(): Clock {
  let n = 0;
  return {
    now: () => new Date(Date.UTC(2026, 10, 28, 2, 0, n)).toISOString(),
    uuid: () => {
      n += 1;
      return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    },
  };
}

interface ServerFinding {
  id: string;
  case_id: string;
  checklist_item_key: string | null;
  outcome: string;
  note: string | null;
  version: number;
}

export class FakeServer implements Transport {
  findings = new Map<string, ServerFinding>();
  photos = new Map<string, { id: string; case_id: string; sha256: string; finding_id: string | null }>();
  received = new Map<
    string,
    { outcome: MutationResult["outcome"]; entity_id: string | null; entity_version?: number; body: string }
  >();
  conflicts = new Map<string, ConflictRead>();
  changes: ChangeItem[] = [];
  pushes = 0;
  uploads = 0;
  /** Fail (as the network would) after this many mutations of the next push were applied. */
  cutAfter: number | null = null;
  offline = false;
  rejectUploads = false;
  private seq = 0;

  private id(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq}`;
  }

  private emit(entity_type: ChangeItem["entity_type"], data: Record<string, unknown> & { id: string }) {
    this.changes.push({ entity_type, entity_id: data.id, op: "upsert", data: { ...data } });
  }

  /** Another device edits a finding. */
  edit(id: string, note: string): void {
    const f = this.findings.get(id);
    if (!f) throw new Error("no finding");
    f.note = note;
    f.version += 1;
    this.emit("inspection_finding", { ...f });
  }

  cases = new Map<string, Record<string, unknown> & { id: string; status: string; version: number }>();

  addCase(id: string, subject: string, status = "in_progress"): void {
    const row = {
      id,
      kind: "construction_check",
      status,
      title: `Case ${id}`,
      subject: "Site",
      summary: null,
      commune_code: null,
      due_on: null,
      assigned_inspector: subject,
      checklist_version_id: null,
      conclusion: null,
      concluded_on: null,
      version: 3,
    };
    this.cases.set(id, row);
    this.emit("inspection_case", row);
  }

  /** Another device (or an officer) changes the case: its version moves on. */
  touchCase(id: string, change: Record<string, unknown> = {}): void {
    const row = this.cases.get(id);
    if (!row) throw new Error("no case");
    Object.assign(row, change);
    row.version += 1;
    this.emit("inspection_case", row);
  }

  private caseStep(m: Record<string, unknown>, clientId: string, body: string): MutationResult {
    const row = this.cases.get(String(m.case_id));
    if (!row) return { client_id: clientId, outcome: "rejected", code: "inspection_case_not_found" };
    const data = m.data as Record<string, unknown>;
    let base = m.base_version as number | undefined;
    if (m.base_client_id) {
      const start = this.received.get(String(m.base_client_id));
      if (start?.outcome !== "applied")
        return { client_id: clientId, outcome: "rejected", code: "base_mutation_unknown" };
      base = start.entity_version ?? undefined;
    }
    if (base === undefined)
      return { client_id: clientId, outcome: "rejected", code: "base_version_required" };
    if (row.version !== base) {
      const conflict: ConflictRead = {
        id: this.id("conflict"),
        status: "open",
        version: 1,
        base_version: base,
        server_version: row.version,
        client_changes: { action: m.action, ...data },
        server_state: { ...row },
        resolution: null,
      };
      this.conflicts.set(conflict.id, conflict);
      this.received.set(clientId, {
        outcome: "conflict",
        entity_id: row.id,
        entity_version: row.version,
        body,
      });
      return {
        client_id: clientId,
        outcome: "conflict",
        entity_id: row.id,
        entity_version: row.version,
        conflict_id: conflict.id,
      };
    }
    const [from, to] = m.action === "case.start" ? ["assigned", "in_progress"] : ["in_progress", "concluded"];
    if (row.status !== from)
      return { client_id: clientId, outcome: "rejected", code: "case_transition_not_allowed" };
    row.status = to ?? row.status;
    if (m.action === "case.start" && data.checklist_version_id)
      row.checklist_version_id = data.checklist_version_id;
    if (m.action === "case.conclude") {
      row.conclusion = data.conclusion;
      row.concluded_on = data.concluded_on;
    }
    row.version += 1;
    this.emit("inspection_case", row);
    this.received.set(clientId, { outcome: "applied", entity_id: row.id, entity_version: row.version, body });
    return { client_id: clientId, outcome: "applied", entity_id: row.id, entity_version: row.version };
  }

  async pull(cursor: string | null): Promise<ChangePage> {
    if (this.offline) throw new TransientError("offline");
    const from = cursor ? Number(cursor) : 0;
    const items = this.changes.slice(from, from + 2);
    return { items, next_cursor: String(from + items.length) };
  }

  async uploadPhoto(photo: PhotoRecord): Promise<UploadAnswer> {
    if (this.offline) throw new TransientError("offline");
    if (this.rejectUploads) return { ok: false, code: "photo_not_an_image", detail: "not an image" };
    if (this.cases.get(photo.caseId)?.status !== "in_progress")
      return { ok: false, code: "case_not_in_progress", detail: "The case is not in progress." };
    this.uploads += 1;
    const existing = [...this.photos.values()].find(
      (p) => p.sha256 === photo.sha256 && p.case_id === photo.caseId,
    );
    if (existing) return { ok: true, evidenceId: existing.id, sha256: existing.sha256 };
    const row = { id: this.id("photo"), case_id: photo.caseId, sha256: photo.sha256, finding_id: null };
    this.photos.set(row.id, row);
    return { ok: true, evidenceId: row.id, sha256: row.sha256 };
  }

  async push(_deviceId: string, mutations: Record<string, unknown>[]): Promise<MutationResult[]> {
    if (this.offline) throw new TransientError("offline");
    this.pushes += 1;
    const results: MutationResult[] = [];
    for (const [index, m] of mutations.entries()) {
      if (this.cutAfter !== null && index >= this.cutAfter) {
        this.cutAfter = null;
        throw new TransientError("connection reset");
      }
      results.push(this.apply(m));
    }
    return results;
  }

  private apply(m: Record<string, unknown>): MutationResult {
    const clientId = String(m.client_id);
    const body = JSON.stringify(m);
    const seen = this.received.get(clientId);
    if (seen) {
      if (seen.body !== body) return { client_id: clientId, outcome: "rejected", code: "client_id_reused" };
      return { client_id: clientId, outcome: "duplicate", entity_id: seen.entity_id };
    }
    if (m.action === "case.start" || m.action === "case.conclude") return this.caseStep(m, clientId, body);
    if (this.cases.get(String(m.case_id))?.status !== "in_progress")
      return { client_id: clientId, outcome: "rejected", code: "case_not_in_progress" };
    const data = m.data as Record<string, unknown>;
    const hashes = m.photo_sha256 as string[];
    const photos = hashes.map((h) => [...this.photos.values()].find((p) => p.sha256 === h));
    if (photos.some((p) => !p))
      return { client_id: clientId, outcome: "rejected", code: "photo_not_uploaded" };
    let finding: ServerFinding | undefined;
    if (m.action === "finding.create") {
      finding = {
        id: this.id("finding"),
        case_id: String(m.case_id),
        checklist_item_key: (data.checklist_item_key as string | undefined) ?? null,
        outcome: String(data.outcome),
        note: (data.note as string | undefined) ?? null,
        version: 1,
      };
      this.findings.set(finding.id, finding);
    } else {
      const target = m.finding_id
        ? String(m.finding_id)
        : (this.received.get(String(m.finding_client_id))?.entity_id ?? "");
      finding = this.findings.get(target);
      if (!finding) return { client_id: clientId, outcome: "rejected", code: "finding_reference_unknown" };
      if (finding.version !== m.base_version) {
        const conflict: ConflictRead = {
          id: this.id("conflict"),
          status: "open",
          version: 1,
          base_version: Number(m.base_version),
          server_version: finding.version,
          client_changes: { ...data },
          server_state: { ...finding },
          resolution: null,
        };
        this.conflicts.set(conflict.id, conflict);
        this.received.set(clientId, { outcome: "conflict", entity_id: finding.id, body });
        return {
          client_id: clientId,
          outcome: "conflict",
          entity_id: finding.id,
          entity_version: finding.version,
          conflict_id: conflict.id,
        };
      }
      if (data.outcome !== undefined) finding.outcome = String(data.outcome);
      if (data.note !== undefined) finding.note = (data.note as string | null) ?? null;
      finding.version += 1;
    }
    for (const p of photos) if (p) p.finding_id = finding.id;
    this.received.set(clientId, { outcome: "applied", entity_id: finding.id, body });
    this.emit("inspection_finding", { ...finding });
    return {
      client_id: clientId,
      outcome: "applied",
      entity_id: finding.id,
      entity_version: finding.version,
    };
  }

  async conflict(id: string): Promise<ConflictRead> {
    const c = this.conflicts.get(id);
    if (!c) throw new Error("no conflict");
    return c;
  }

  async resolve(
    id: string,
    version: number,
    resolution: "keep_server" | "apply_client",
  ): Promise<ConflictRead> {
    const c = await this.conflict(id);
    if (c.version !== version) throw new Error("412");
    const next = { ...c, status: "resolved", resolution, version: c.version + 1 };
    this.conflicts.set(id, next);
    return next;
  }
}
