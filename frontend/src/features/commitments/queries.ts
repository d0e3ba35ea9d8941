import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import type { components } from "@/api/funding";
import { unwrap } from "@/api/problem";
import type { CommitmentsSearch } from "./search";

export const commitmentsKey = ["funding", "commitments"] as const;
const meta = { screen: "funding-commitments" };

export type Commitment = components["schemas"]["CommitmentRead"];
export type Contributor = components["schemas"]["ContributorRead"];

export function commitmentsQuery(api: Api, search: CommitmentsSearch) {
  return queryOptions({
    queryKey: [...commitmentsKey, "commitments", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/funding-commitments", {
          params: {
            query: {
              limit: 20,
              ...(search.kind ? { kind: search.kind } : {}),
              ...(search.fiscal_year ? { fiscal_year: search.fiscal_year } : {}),
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

export function contributorsQuery(api: Api, search: Pick<CommitmentsSearch, "cursor">, limit = 20) {
  return queryOptions({
    queryKey: [...commitmentsKey, "contributors", search.cursor ?? null, limit],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/funding-contributors", {
          params: { query: { limit, ...(search.cursor ? { cursor: search.cursor } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta,
  });
}
