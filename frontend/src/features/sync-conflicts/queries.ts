import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import type { components } from "@/api/inspection";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { ConflictsSearch } from "./search";

export const conflictsKey = ["inspection", "sync-conflicts"] as const;
const meta = { screen: "sync-conflicts" };

export type Conflict = components["schemas"]["ConflictRead"];
export type Resolution = components["schemas"]["ConflictResolution"];

export function conflictsQuery(api: Api, search: ConflictsSearch) {
  return queryOptions({
    queryKey: [...conflictsKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/field-sync/conflicts", {
          params: {
            query: {
              limit: 20,
              status: search.status ?? "open",
              ...(search.cursor ? { cursor: search.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta,
  });
}

/** The conflict's ETag is read right before resolving and sent as If-Match (412: someone else did). */
export async function resolveConflict(api: Api, id: string, resolution: Resolution, note: string) {
  const path = { conflict_id: id };
  const current = await unwrapWithEtag(
    api.inspection.GET("/v1/field-sync/conflicts/{conflict_id}", { params: { path } }),
  );
  return unwrap(
    api.inspection.POST("/v1/field-sync/conflicts/{conflict_id}/resolve", {
      params: { path, header: { "If-Match": current.etag ?? `W/"${current.data.version}"` } },
      body: { resolution, note: note.trim() || null },
    }),
  );
}

/** The fields the device changed, side by side with the server's value of each. */
export function conflictRows(conflict: Pick<Conflict, "client_changes" | "server_state">) {
  return Object.keys(conflict.client_changes)
    .sort()
    .map((field) => ({
      field,
      client: show(conflict.client_changes[field]),
      server: show(conflict.server_state[field]),
      differs:
        JSON.stringify(conflict.client_changes[field]) !== JSON.stringify(conflict.server_state[field]),
    }));
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}
