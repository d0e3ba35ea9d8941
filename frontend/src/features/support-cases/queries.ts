import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { components } from "@/api/registry";
import type { SupportCasesSearch } from "./search";

export const PAGE_SIZE = 20;
export const supportCasesKey = ["registry", "support-cases"] as const;
const meta = { screen: "support-cases" };

export type SupportCaseRow = components["schemas"]["SupportCaseRead"];
export type SupportCase = components["schemas"]["SupportCaseDetail"];
export type Status = components["schemas"]["SupportCaseStatus"];

export function supportCasesQuery(api: Api, search: SupportCasesSearch) {
  return queryOptions({
    queryKey: [...supportCasesKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/support-cases", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.stream ? { stream: search.stream } : {}),
              ...(search.kind ? { kind: search.kind } : {}),
              ...(search.status ? { status: search.status } : {}),
              ...(search.commune_code ? { commune_code: search.commune_code } : {}),
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

export function supportCaseQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...supportCasesKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.registry.GET("/v1/support-cases/{case_id}", { params: { path: { case_id: id } }, signal }),
      ),
    refetchOnWindowFocus: false,
    meta,
  });
}

export type Action = "approve" | "start" | "complete" | "accept" | "withdraw";

/** The steps the workflow allows from each state (docs/rules/support-cases.md). */
export const NEXT_ACTIONS: Record<Status, readonly Action[]> = {
  proposed: ["approve", "withdraw"],
  approved: ["start", "withdraw"],
  started: ["complete", "withdraw"],
  completed: ["accept"],
  accepted: [],
  withdrawn: [],
};

export async function runAction(api: Api, id: string, action: Action, etag: string, reason?: string) {
  const params = { path: { case_id: id }, header: { "If-Match": etag } };
  switch (action) {
    case "approve":
      return unwrap(api.registry.POST("/v1/support-cases/{case_id}/approve", { params, body: {} }));
    case "start":
      return unwrap(api.registry.POST("/v1/support-cases/{case_id}/start", { params, body: {} }));
    case "complete":
      return unwrap(api.registry.POST("/v1/support-cases/{case_id}/complete", { params, body: {} }));
    case "accept":
      return unwrap(api.registry.POST("/v1/support-cases/{case_id}/accept", { params, body: {} }));
    case "withdraw":
      return unwrap(
        api.registry.POST("/v1/support-cases/{case_id}/withdraw", { params, body: { reason: reason ?? "" } }),
      );
  }
}
