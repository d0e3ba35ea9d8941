/** What the field app keeps on the device: the server's entities as pulled (by `entity_type` of the
 * sync API), the outbox of mutations made here, and the photos waiting to be uploaded. */

export type Outcome = "compliant" | "non_compliant" | "not_applicable" | "observation";
export const OUTCOMES: Outcome[] = ["compliant", "non_compliant", "observation", "not_applicable"];

export type EntityTable =
  | "inspection_case"
  | "inspection_finding"
  | "inspection_evidence"
  | "checklist_template"
  | "checklist_template_version"
  | "violation_type";

export type TableName = EntityTable | "meta" | "outbox" | "photos";
export const ENTITY_TABLES: EntityTable[] = [
  "inspection_case",
  "inspection_finding",
  "inspection_evidence",
  "checklist_template",
  "checklist_template_version",
  "violation_type",
];
export const TABLES: TableName[] = [...ENTITY_TABLES, "meta", "outbox", "photos"];

export interface CaseRow {
  id: string;
  kind: string;
  status: string;
  title: string;
  subject: string;
  summary: string | null;
  commune_code: string | null;
  due_on: string | null;
  assigned_inspector: string | null;
  checklist_version_id: string | null;
  conclusion: string | null;
  concluded_on: string | null;
  version: number;
}

export interface FindingRow {
  id: string;
  case_id: string;
  checklist_item_key: string | null;
  outcome: Outcome;
  note: string | null;
  version: number;
}

export interface EvidenceRow {
  id: string;
  case_id: string;
  finding_id: string | null;
  sha256: string;
  latitude: number;
  longitude: number;
  captured_at: string;
}

export interface ChecklistItem {
  key: string;
  text: string;
  legal_basis?: string | null;
}

export interface TemplateVersionRow {
  id: string;
  template_id: string;
  number: number;
  items: ChecklistItem[];
}

export interface ChangeItem {
  entity_type: EntityTable;
  entity_id: string;
  op: "upsert" | "delete";
  data: Record<string, unknown> | null;
}

export interface ChangePage {
  items: ChangeItem[];
  next_cursor: string;
}

export type EntryStatus = "pending" | "applied" | "duplicate" | "conflict" | "rejected";

export interface FindingData {
  checklist_item_key?: string | null;
  outcome?: Outcome;
  note?: string | null;
}

/** A case step: `case.start` takes the checklist version, `case.conclude` the conclusion and its day,
 * as the online conclude endpoint does. */
export interface CaseStepData {
  checklist_version_id?: string;
  conclusion?: string;
  concluded_on?: string;
}

export type EntryData = FindingData & CaseStepData;

export type EntryAction = "finding.create" | "finding.update" | "case.start" | "case.conclude";
export const CASE_STEPS: EntryAction[] = ["case.start", "case.conclude"];

/** One mutation made on the device, in the order made (`id`). */
export interface OutboxEntry {
  id: number;
  clientId: string;
  action: EntryAction;
  caseId: string;
  findingId: string | null;
  findingClientId: string | null;
  /** The version the change was made on: the finding's for a finding.update, the case's for a case step. */
  baseVersion: number | null;
  /** A conclusion made after a start that is itself on this device: the start's client id (the server
   * takes the version the applied start left the case at). Absent in entries stored before. */
  baseClientId?: string | null;
  data: EntryData;
  photoIds: string[];
  createdAt: string;
  status: EntryStatus;
  /** Set once the entry went out in a batch: from then on it is never changed (its content is its
   * idempotency key's), a later edit becomes a new mutation. */
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  result: {
    entityId?: string | null;
    entityVersion?: number | null;
    conflictId?: string | null;
    code?: string | null;
    detail?: string | null;
  } | null;
  conflict: ConflictView | null;
}

export interface ConflictView {
  id: string;
  status: string;
  version: number;
  baseVersion: number;
  serverVersion: number;
  client: Record<string, unknown>;
  server: Record<string, unknown>;
  resolution: string | null;
}

export type PhotoStatus = "pending" | "uploaded" | "rejected";

export interface PhotoRecord {
  id: string;
  caseId: string;
  blob: Blob;
  type: string;
  size: number;
  sha256: string;
  latitude: number;
  longitude: number;
  accuracy: number | null;
  capturedAt: string;
  createdAt: string;
  status: PhotoStatus;
  evidenceId: string | null;
  code: string | null;
  detail: string | null;
}

export interface MutationResult {
  client_id: string;
  outcome: "applied" | "duplicate" | "conflict" | "rejected";
  entity_id?: string | null;
  entity_version?: number | null;
  conflict_id?: string | null;
  code?: string | null;
  detail?: string | null;
}

export interface ConflictRead {
  id: string;
  status: string;
  version: number;
  base_version: number;
  server_version: number;
  client_changes: Record<string, unknown>;
  server_state: Record<string, unknown>;
  resolution: string | null;
}
