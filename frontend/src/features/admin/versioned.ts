import { useState } from "react";
import { etagOf, type Versioned } from "./api";

/** A record being changed and the ETag to send as If-Match: first the version listed, then, after a
 * 412 (someone else changed it), the record read again (`reload`), so the next try is up to date. */
export function useVersionedRecord<R extends { version: number }>(
  initial: R | null,
  read: (record: R) => Promise<Versioned<R>>,
) {
  const [record, setRecord] = useState(initial);
  const [etag, setEtag] = useState(initial ? etagOf(initial) : "");
  const reload = async (): Promise<R | null> => {
    if (!record) return null;
    const fresh = await read(record);
    setRecord(fresh.data);
    setEtag(fresh.etag ?? etagOf(fresh.data));
    return fresh.data;
  };
  return { record, etag, reload };
}

/** Problems that a reload of the record answers. */
export const isStale = (code: string): boolean =>
  code === "precondition_failed" || code === "precondition_required";
