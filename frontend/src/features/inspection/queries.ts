import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import type { components } from "@/api/inspection";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import { present } from "@/features/finance/queries";
import type { CasesSearch, FlagsSearch, ObligationsSearch, ProjectsSearch } from "./search";

export const PAGE_SIZE = 20;
export const inspectionKey = ["inspection", "work"] as const;
type S = components["schemas"];
export type Flag = S["FlagRead"];
export type Case = S["CaseRead"];
export type Finding = S["FindingRead"];
export type Evidence = S["EvidenceRead"];
export type Violation = S["ViolationRead"];
export type ViolationType = S["ViolationTypeRead"];
export type Sanction = S["SanctionRead"];
export type Obligation = S["ObligationRead"];
export type Parcel = S["ParcelRead"];
export type CommercialProject = S["CommercialProjectRead"];
export type CaseKind = S["inspection_api__profiteering__schemas__CaseKind"];

export function flagsQuery(api: Api, search: FlagsSearch) {
  return queryOptions({
    queryKey: [...inspectionKey, "flags", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/profiteering-flags", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...present({ status: search.status, kind: search.kind, cursor: search.cursor }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "profiteering-flags" },
  });
}

async function flagEtag(api: Api, id: string): Promise<string> {
  const current = await unwrapWithEtag(
    api.inspection.GET("/v1/profiteering-flags/{flag_id}", { params: { path: { flag_id: id } } }),
  );
  return current.etag ?? `W/"${current.data.version}"`;
}

export async function confirmFlag(api: Api, id: string, caseKind: CaseKind, title: string): Promise<Flag> {
  const etag = await flagEtag(api, id);
  return unwrap(
    api.inspection.POST("/v1/profiteering-flags/{flag_id}/confirm", {
      params: { path: { flag_id: id }, header: { "If-Match": etag } },
      body: { case_kind: caseKind, ...(title.trim() ? { title: title.trim() } : {}) },
    }),
  );
}

export async function dismissFlag(api: Api, id: string, reason: string): Promise<Flag> {
  const etag = await flagEtag(api, id);
  return unwrap(
    api.inspection.POST("/v1/profiteering-flags/{flag_id}/dismiss", {
      params: { path: { flag_id: id }, header: { "If-Match": etag } },
      body: { reason },
    }),
  );
}

export function casesQuery(api: Api, search: CasesSearch) {
  return queryOptions({
    queryKey: [...inspectionKey, "cases", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/inspection-cases", {
          params: {
            query: {
              limit: PAGE_SIZE,
              mine: search.mine === "true",
              ...present({ status: search.status, kind: search.kind, cursor: search.cursor }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "inspection-cases" },
  });
}

export function caseQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "case", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.inspection.GET("/v1/inspection-cases/{case_id}", { params: { path: { case_id: id } }, signal }),
      ),
    refetchOnWindowFocus: false,
    meta: { screen: "inspection-cases" },
  });
}

export function caseFindingsQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "case", id, "findings"],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/inspection-cases/{case_id}/findings", {
          params: { path: { case_id: id }, query: { limit: 100 } },
          signal,
        }),
      ),
  });
}

export function casePhotosQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "case", id, "photos"],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/inspection-cases/{case_id}/photos", {
          params: { path: { case_id: id }, query: { limit: 50 } },
          signal,
        }),
      ),
  });
}

export function caseViolationsQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "case", id, "violations"],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/inspection-cases/{case_id}/violations", {
          params: { path: { case_id: id }, query: { limit: 100 } },
          signal,
        }),
      ),
  });
}

export function caseSanctionsQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "case", id, "sanctions"],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/inspection-cases/{case_id}/sanctions", {
          params: { path: { case_id: id }, query: { limit: 100 } },
          signal,
        }),
      ),
  });
}

export function violationTypesQuery(api: Api) {
  return queryOptions({
    queryKey: [...inspectionKey, "violation-types"],
    queryFn: ({ signal }) =>
      unwrap(api.inspection.GET("/v1/violation-types", { params: { query: { limit: 100 } }, signal })),
    staleTime: 300_000,
  });
}

export function obligationsQuery(api: Api, search: ObligationsSearch) {
  return queryOptions({
    queryKey: [...inspectionKey, "obligations", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/land-reserve-obligations", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...present({
                status: search.status,
                method: search.method,
                overdue: search.overdue === "true" ? true : undefined,
                commercial_project_id: search.commercial_project_id,
                cursor: search.cursor,
              }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "land-reserve-obligations" },
  });
}

export function obligationQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "obligation", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.inspection.GET("/v1/land-reserve-obligations/{obligation_id}", {
          params: { path: { obligation_id: id } },
          signal,
        }),
      ),
    refetchOnWindowFocus: false,
  });
}

export function projectQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "project", id],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/commercial-projects/{project_id}", {
          params: { path: { project_id: id } },
          signal,
        }),
      ),
  });
}

export function parcelQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...inspectionKey, "parcel", id],
    queryFn: ({ signal }) =>
      unwrap(api.inspection.GET("/v1/parcels/{parcel_id}", { params: { path: { parcel_id: id } }, signal })),
  });
}

export function commercialProjectsQuery(api: Api, search: ProjectsSearch) {
  return queryOptions({
    queryKey: [...inspectionKey, "projects", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/commercial-projects", {
          params: { query: { limit: PAGE_SIZE, ...present({ kind: search.kind, cursor: search.cursor }) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "commercial-projects" },
  });
}
