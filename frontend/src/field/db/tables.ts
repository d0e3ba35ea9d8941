/** The device store as a few keyed tables with atomic batches of writes: IndexedDB in the app
 * (idb.ts), in memory in the unit tests. Every record carries its key in `id`. */
import type { TableName } from "../model";

export type Key = string | number;

export interface Row {
  id: Key;
  [field: string]: unknown;
}

export type WriteOp =
  | { table: TableName; put: Row | { id: Key } }
  | { table: TableName; delete: Key }
  | { table: TableName; clear: true };

export interface Tables {
  get<T>(table: TableName, key: Key): Promise<T | undefined>;
  /** Every record of the table, in key order. */
  all<T>(table: TableName): Promise<T[]>;
  /** All of the writes or none of them. */
  write(ops: WriteOp[]): Promise<void>;
}

function compareKeys(a: Key, b: Key): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Tables in memory (tests). Records are copied in and out, as IndexedDB's structured clone does. */
export class MemoryTables implements Tables {
  private readonly data = new Map<TableName, Map<Key, unknown>>();
  /** Make the next `write` fail (to test that nothing is half-written). */
  failNextWrite = false;

  private table(name: TableName): Map<Key, unknown> {
    let table = this.data.get(name);
    if (!table) {
      table = new Map();
      this.data.set(name, table);
    }
    return table;
  }

  async get<T>(table: TableName, key: Key): Promise<T | undefined> {
    const value = this.table(table).get(key);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async all<T>(table: TableName): Promise<T[]> {
    const entries = [...this.table(table).entries()].sort(([a], [b]) => compareKeys(a, b));
    return entries.map(([, v]) => structuredClone(v) as T);
  }

  async write(ops: WriteOp[]): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error("write failed");
    }
    for (const op of ops) {
      const table = this.table(op.table);
      if ("put" in op) table.set(op.put.id, structuredClone(op.put));
      else if ("delete" in op) table.delete(op.delete);
      else table.clear();
    }
  }
}
