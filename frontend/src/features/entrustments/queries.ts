import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import type { components } from "@/api/funding";
import { unwrap } from "@/api/problem";
import type { EntrustmentsSearch } from "./search";

/** Rows per page of a contract's transfers and reports. */
export const SUB_PAGE_SIZE = 50;

export const entrustmentsKey = ["funding", "vbsp-entrustments"] as const;
const meta = { screen: "vbsp-entrustments" };

export type Contract = components["schemas"]["ContractRead"];
export type Transfer = components["schemas"]["TransferRead"];
export type Report = components["schemas"]["UtilisationReportRead"];

export function contractsQuery(api: Api, search: EntrustmentsSearch) {
  return queryOptions({
    queryKey: [...entrustmentsKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/vbsp-entrustments", {
          params: { query: { limit: 20, ...(search.cursor ? { cursor: search.cursor } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta,
  });
}

export function contractQuery(api: Api, id: string) {
  const path = { contract_id: id };
  return queryOptions({
    queryKey: [...entrustmentsKey, "one", id],
    queryFn: async ({ signal }) => {
      const [contract, summary] = await Promise.all([
        unwrap(api.funding.GET("/v1/vbsp-entrustments/{contract_id}", { params: { path }, signal })),
        unwrap(api.funding.GET("/v1/vbsp-entrustments/{contract_id}/summary", { params: { path }, signal })),
      ]);
      return { contract, summary };
    },
    meta,
  });
}

/** One page of the contract's transfers (keyset: `next_cursor` leads on). */
export function transfersQuery(api: Api, id: string, cursor: string | undefined) {
  return queryOptions({
    queryKey: [...entrustmentsKey, "one", id, "transfers", cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/vbsp-entrustments/{contract_id}/transfers", {
          params: {
            path: { contract_id: id },
            query: { limit: SUB_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta,
  });
}

/** One page of the contract's utilisation reports. */
export function reportsQuery(api: Api, id: string, cursor: string | undefined) {
  return queryOptions({
    queryKey: [...entrustmentsKey, "one", id, "reports", cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/vbsp-entrustments/{contract_id}/utilisation-reports", {
          params: {
            path: { contract_id: id },
            query: { limit: SUB_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta,
  });
}
