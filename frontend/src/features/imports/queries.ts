import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import { fetchBlob, fileName, parseCsv, saveBlob } from "@/lib/download";
import type { ImportsSearch } from "./search";

export const importsKey = ["registry", "imports"] as const;
const meta = { screen: "imports" };

export type ImportRead = components["schemas"]["ImportRead"];
export type ImportMode = components["schemas"]["ImportMode"];
export type ImportKind = components["schemas"]["ImportKind"];

export const RUNNING: readonly ImportRead["status"][] = ["queued", "running"];
export const POLL_MS = 1000;

export function importsQuery(api: Api, search: ImportsSearch) {
  return queryOptions({
    queryKey: [...importsKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/imports", {
          params: { query: { limit: 20, ...(search.cursor ? { cursor: search.cursor } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta,
  });
}

/** One import, polled while its job runs. */
export function importQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...importsKey, "one", id],
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/v1/imports/{import_id}", { params: { path: { import_id: id } }, signal })),
    refetchInterval: (query) =>
      query.state.data && !RUNNING.includes(query.state.data.status) ? false : POLL_MS,
    meta,
  });
}

export function progressPercent(row: ImportRead): number {
  if (!RUNNING.includes(row.status)) return 100;
  if (row.total_rows <= 0) return 0;
  return Math.min(99, Math.floor((row.processed_rows / row.total_rows) * 100));
}

export interface ErrorRow {
  row: string;
  column: string;
  code: string;
  reason: string;
}

/** The refused rows, read from the csv report (row, column, code, reason; the heading row skipped). */
export function errorRowsQuery(api: Api, id: string, enabled: boolean) {
  return queryOptions({
    queryKey: [...importsKey, "one", id, "errors"],
    enabled,
    queryFn: async ({ signal }) => {
      const text = await unwrap(
        api.registry.GET("/v1/imports/{import_id}/errors.csv", {
          params: { path: { import_id: id } },
          parseAs: "text",
          signal,
        }),
      );
      const rows = parseCsv(String(text));
      return rows
        .slice(1)
        .map(([row = "", column = "", code = "", reason = ""]) => ({ row, column, code, reason }));
    },
    meta,
  });
}

export type Upload = {
  file: File;
  commune_code: string;
  mode: ImportMode;
  kind: ImportKind;
  campaign_id?: string | undefined;
  meeting_held_on?: string | undefined;
  meeting_agreement_pct?: number | undefined;
};

export function contentType(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv")) return "text/csv";
  if (lower.endsWith(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return "application/octet-stream";
}

/** The file goes as the raw body (its bytes), its options in the query (202 with the import and its
 * job). */
export async function uploadImport(api: Api, upload: Upload) {
  const bytes = await upload.file.arrayBuffer();
  return unwrap(
    api.registry.POST("/v1/imports", {
      params: {
        query: {
          filename: upload.file.name,
          commune_code: upload.commune_code,
          mode: upload.mode,
          kind: upload.kind,
          ...(upload.kind === "review_results"
            ? {
                campaign_id: upload.campaign_id ?? null,
                meeting_held_on: upload.meeting_held_on ?? null,
                meeting_agreement_pct: upload.meeting_agreement_pct ?? null,
              }
            : {}),
        },
      },
      body: bytes as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { "Content-Type": contentType(upload.file.name) },
    }),
  );
}

export async function downloadErrors(api: Api, id: string, format: "csv" | "xlsx") {
  const params = { path: { import_id: id } };
  const { blob, response } = await fetchBlob(
    format === "csv"
      ? api.registry.GET("/v1/imports/{import_id}/errors.csv", { params, parseAs: "blob" })
      : api.registry.GET("/v1/imports/{import_id}/errors.xlsx", { params, parseAs: "blob" }),
  );
  saveBlob(blob, fileName(response, `import-${id}-errors.${format}`));
}

export async function downloadExport(api: Api, format: "csv" | "xlsx", communeCode?: string) {
  const params = { query: communeCode ? { commune_code: communeCode } : {} };
  const { blob, response } = await fetchBlob(
    format === "csv"
      ? api.registry.GET("/v1/exports/households.csv", { params, parseAs: "blob" })
      : api.registry.GET("/v1/exports/households.xlsx", { params, parseAs: "blob" }),
  );
  saveBlob(blob, fileName(response, `households.${format}`));
}
