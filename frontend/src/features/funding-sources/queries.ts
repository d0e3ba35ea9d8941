import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { FundingSourcesSearch } from "./search";

export const PAGE_SIZE = 20;
export const fundingSourcesKey = ["funding", "funding-sources"] as const;

export function fundingSourcesQuery(api: Api, search: FundingSourcesSearch) {
  return queryOptions({
    queryKey: [...fundingSourcesKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/funding-sources", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.kind ? { kind: search.kind } : {}),
              ...(search.active ? { active: search.active === "true" } : {}),
              ...(search.cursor ? { cursor: search.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "funding-sources" },
  });
}

export function fundingSourceQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...fundingSourcesKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.funding.GET("/v1/funding-sources/{source_id}", { params: { path: { source_id: id } }, signal }),
      ),
    refetchOnWindowFocus: false,
    meta: { screen: "funding-sources" },
  });
}
