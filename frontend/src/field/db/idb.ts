/** A small typed wrapper over IndexedDB: one object store per table (key path `id`), atomic writes
 * in one readwrite transaction. */
import { TABLES, type TableName } from "../model";
import type { Key, Tables, WriteOp } from "./tables";

const DB_VERSION = 1;

function done(request: IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDatabase(name = "noxh-field"): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const table of TABLES) {
        if (!db.objectStoreNames.contains(table)) db.createObjectStore(table, { keyPath: "id" });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("the field database is open in an older version elsewhere"));
  });
}

export class IdbTables implements Tables {
  constructor(private readonly db: IDBDatabase) {}

  async get<T>(table: TableName, key: Key): Promise<T | undefined> {
    const store = this.db.transaction(table, "readonly").objectStore(table);
    return (await done(store.get(key))) as T | undefined;
  }

  async all<T>(table: TableName): Promise<T[]> {
    const store = this.db.transaction(table, "readonly").objectStore(table);
    return (await done(store.getAll())) as T[];
  }

  write(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    const names = [...new Set(ops.map((op) => op.table))];
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(names, "readwrite");
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("the write was aborted"));
      for (const op of ops) {
        const store = tx.objectStore(op.table);
        if ("put" in op) store.put(op.put);
        else if ("delete" in op) store.delete(op.delete);
        else store.clear();
      }
    });
  }
}
