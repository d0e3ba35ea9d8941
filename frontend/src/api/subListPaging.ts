/** Keyset paging of a list inside a detail page (a contract's transfers, a loan's events), in the URL
 * under its own prefix (`transfers_cursor`, `transfers_page`), so several lists on one page page
 * apart and a page can be shared. The way back is remembered by the same trail as the main lists. */
import { type CursorTrail, cursorTrail } from "./paging";

type Search = Record<string, unknown>;

export interface SubListPaging<S extends Search> {
  cursor: string | undefined;
  page: number;
  next: (nextCursor: string) => S;
  /** Null when the way back is not known (or on page 1). */
  previous: () => S | null;
  first: () => S;
}

/** `scope` tells apart the same list of two records (the contract's id). */
export function subListPaging<S extends Search>(
  search: S,
  prefix: string,
  scope: string,
  trail: CursorTrail = cursorTrail,
): SubListPaging<S> {
  const cursorKey = `${prefix}_cursor`;
  const pageKey = `${prefix}_page`;
  const cursor = typeof search[cursorKey] === "string" ? (search[cursorKey] as string) : undefined;
  const page = typeof search[pageKey] === "number" ? (search[pageKey] as number) : undefined;
  const virtual = { list: `${prefix}:${scope}`, cursor, page };
  const back = (v: { cursor?: string | undefined; page?: number | undefined }): S => ({
    ...search,
    [cursorKey]: v.cursor,
    [pageKey]: v.page,
  });
  return {
    cursor,
    page: page ?? 1,
    next: (nextCursor) => back(trail.next(virtual, nextCursor)),
    previous: () => {
      const previous = trail.previous(virtual);
      return previous ? back(previous) : null;
    },
    first: () => back(trail.first(virtual)),
  };
}
