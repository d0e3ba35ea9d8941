/** Keyset paging in the URL: `cursor` is the current page's cursor (none on the first page) and
 * `page` its number, for display. The services hand out only forward cursors, so the way back is
 * remembered here, per filter, for as long as the tab lives. */

export interface PageSearch {
  cursor?: string | undefined;
  page?: number | undefined;
}

export interface KeysetPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/** A stable key of the filters (everything but the paging itself). */
export function filterKey(search: Record<string, unknown>): string {
  const entries = Object.entries(search)
    .filter(([k, v]) => k !== "cursor" && k !== "page" && v !== undefined && v !== null && v !== "")
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

export class CursorTrail {
  /** filter key -> cursor of each page (index 0 = page 1 = no cursor). */
  private readonly trails = new Map<string, (string | undefined)[]>();
  private static readonly MAX_FILTERS = 50;

  private trail(key: string): (string | undefined)[] {
    let trail = this.trails.get(key);
    if (!trail) {
      if (this.trails.size >= CursorTrail.MAX_FILTERS) {
        const oldest = this.trails.keys().next().value;
        if (oldest !== undefined) this.trails.delete(oldest);
      }
      trail = [undefined];
      this.trails.set(key, trail);
    }
    return trail;
  }

  /** The search of the next page: remembers where this page started. */
  next<S extends PageSearch & Record<string, unknown>>(search: S, nextCursor: string): S {
    const page = search.page ?? 1;
    const trail = this.trail(filterKey(search));
    trail[page - 1] = search.cursor;
    trail[page] = nextCursor;
    return { ...search, cursor: nextCursor, page: page + 1 };
  }

  /** The search of the previous page, or null when the way back is not known (or this is page 1). */
  previous<S extends PageSearch & Record<string, unknown>>(search: S): S | null {
    const page = search.page ?? 1;
    if (page <= 1) return null;
    if (page === 2) return { ...search, cursor: undefined, page: undefined };
    const trail = this.trails.get(filterKey(search));
    const cursor = trail?.[page - 2];
    if (cursor === undefined) return null;
    return { ...search, cursor, page: page - 1 };
  }

  first<S extends PageSearch & Record<string, unknown>>(search: S): S {
    return { ...search, cursor: undefined, page: undefined };
  }
}

export const cursorTrail = new CursorTrail();
