import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import type { HouseholdsSearch } from "./search";

export const PAGE_SIZE = 20;
export const householdsKey = ["registry", "households"] as const;
const meta = { screen: "households" };

export type HouseholdRow = components["schemas"]["HouseholdRead"];
export type PersonHit = components["schemas"]["PersonSearchHit"];
export type Person = components["schemas"]["PersonRead"];
export type Category = components["schemas"]["CategoryRead"];
export type SupportHistoryRow = components["schemas"]["SupportHistoryRead"];

/** Without a name: the households of the area; with one: the persons whose name matches (the service
 * folds diacritics, so `nguyen van duc` finds `Nguyễn Văn Đức`). */
export function householdsQuery(api: Api, search: HouseholdsSearch) {
  const common = {
    limit: PAGE_SIZE,
    ...(search.commune_code ? { commune_code: search.commune_code } : {}),
    ...(search.cursor ? { cursor: search.cursor } : {}),
  };
  const q = search.q;
  return queryOptions({
    queryKey: [...householdsKey, "list", search],
    queryFn: async ({ signal }) =>
      q
        ? {
            kind: "persons" as const,
            ...(await unwrap(
              api.registry.GET("/v1/persons/search", { params: { query: { q, ...common } }, signal }),
            )),
          }
        : {
            kind: "households" as const,
            ...(await unwrap(api.registry.GET("/v1/households", { params: { query: common }, signal }))),
          },
    placeholderData: keepPreviousData,
    meta,
  });
}

export function householdQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...householdsKey, "one", id],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/households/{household_id}", { params: { path: { household_id: id } }, signal }),
      ),
    meta,
  });
}

export function categoriesQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...householdsKey, "one", id, "categories"],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/households/{household_id}/categories", {
          params: { path: { household_id: id }, query: { limit: 100 } },
          signal,
        }),
      ),
    meta,
  });
}

/** The current dwelling (no `ended_on`) and its latest assessment (lists are oldest first). */
export function currentDwellingQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...householdsKey, "one", id, "dwelling"],
    queryFn: async ({ signal }) => {
      const dwellings = await unwrap(
        api.registry.GET("/v1/households/{household_id}/dwellings", {
          params: { path: { household_id: id }, query: { limit: 100 } },
          signal,
        }),
      );
      const dwelling = dwellings.items.find((d) => d.ended_on === null) ?? null;
      if (!dwelling) return { dwelling: null, assessment: null };
      const assessments = await unwrap(
        api.registry.GET("/v1/dwellings/{dwelling_id}/assessments", {
          params: { path: { dwelling_id: dwelling.id }, query: { limit: 100 } },
          signal,
        }),
      );
      return { dwelling, assessment: assessments.items.at(-1) ?? null };
    },
    meta,
  });
}

export function supportHistoryQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...householdsKey, "one", id, "support-history"],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/households/{household_id}/support-history", {
          params: { path: { household_id: id }, query: { limit: 100 } },
          signal,
        }),
      ),
    meta,
  });
}

/** The persons a picker offers for what was typed (the service folds diacritics); at most 20. */
export function personSearchQuery(api: Api, q: string, communeCode?: string) {
  return queryOptions({
    queryKey: [...householdsKey, "picker", q, communeCode ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/persons/search", {
          params: { query: { q, limit: PAGE_SIZE, ...(communeCode ? { commune_code: communeCode } : {}) } },
          signal,
        }),
      ),
    enabled: q.trim().length >= 2,
    staleTime: 30_000,
    meta,
  });
}
