import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { LandUsePlansSearch } from "./search";

export const PAGE_SIZE = 20;
export const landUsePlansKey = ["inspection", "land-use-plans"] as const;

export function landUsePlansQuery(api: Api, search: LandUsePlansSearch) {
  return queryOptions({
    queryKey: [...landUsePlansKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.inspection.GET("/v1/land-use-plans", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.level ? { level: search.level } : {}),
              ...(search.status ? { status: search.status } : {}),
              ...(search.cursor ? { cursor: search.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "land-use-plans" },
  });
}

export function landUsePlanQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...landUsePlansKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.inspection.GET("/v1/land-use-plans/{plan_id}", { params: { path: { plan_id: id } }, signal }),
      ),
    refetchOnWindowFocus: false,
    meta: { screen: "land-use-plans" },
  });
}
