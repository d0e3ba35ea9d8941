import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import type { components } from "@/api/funding";
import { unwrap } from "@/api/problem";
import type { EntrustmentsSearch } from "./search";

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
      const [contract, summary, transfers, reports] = await Promise.all([
        unwrap(api.funding.GET("/v1/vbsp-entrustments/{contract_id}", { params: { path }, signal })),
        unwrap(api.funding.GET("/v1/vbsp-entrustments/{contract_id}/summary", { params: { path }, signal })),
        unwrap(
          api.funding.GET("/v1/vbsp-entrustments/{contract_id}/transfers", {
            params: { path, query: { limit: 100 } },
            signal,
          }),
        ),
        unwrap(
          api.funding.GET("/v1/vbsp-entrustments/{contract_id}/utilisation-reports", {
            params: { path, query: { limit: 100 } },
            signal,
          }),
        ),
      ]);
      return { contract, summary, transfers: transfers.items, reports: reports.items };
    },
    meta,
  });
}
