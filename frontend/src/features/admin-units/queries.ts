import { keepPreviousData, queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import { useApi } from "@/app/services";
import type { AdminUnitsSearch } from "./search";

export type AdminUnit = components["schemas"]["AdminUnitRead"];
export const PAGE_SIZE = 20;

export function adminUnitsQuery(api: Api, search: AdminUnitsSearch) {
  return queryOptions({
    queryKey: ["registry", "admin-units", "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/admin-units", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.parent_code ? { parent_code: search.parent_code } : {}),
              ...(search.level ? { level: search.level } : {}),
              ...(search.scheme ? { scheme: search.scheme } : {}),
              ...(search.cursor ? { cursor: search.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "admin-units" },
  });
}

export function adminUnitQuery(api: Api, code: string) {
  return queryOptions({
    queryKey: ["registry", "admin-units", "one", code],
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/v1/admin-units/{code}", { params: { path: { code } }, signal })),
    staleTime: 60 * 60 * 1000, // reference data
    retry: false,
  });
}

/** Names of area codes ("31" -> "Thành phố Hải Phòng"), for the header and the home page. */
export function useAreaNames(codes: string[]): Record<string, string> {
  const api = useApi();
  const results = useQueries({ queries: codes.map((code) => adminUnitQuery(api, code)) });
  const names: Record<string, string> = {};
  results.forEach((result, i) => {
    const code = codes[i];
    if (code && result.data) names[code] = result.data.name;
  });
  return names;
}

/** Every current commune of a province (a province has about a hundred: a few pages). */
export function useCommunes(provinceCode: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["registry", "admin-units", "communes", provinceCode],
    enabled: Boolean(provinceCode),
    staleTime: 60 * 60 * 1000,
    queryFn: async ({ signal }) => {
      const units: AdminUnit[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page += 1) {
        const data = await unwrap(
          api.registry.GET("/v1/admin-units", {
            params: {
              query: {
                parent_code: provinceCode,
                level: "commune",
                limit: 100,
                ...(cursor ? { cursor } : {}),
              },
            },
            signal,
          }),
        );
        units.push(...data.items);
        if (!data.next_cursor) break;
        cursor = data.next_cursor;
      }
      return units;
    },
  });
}
