import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { components } from "@/api/registry";
import type { DuplicatesSearch } from "./search";

export const duplicatesKey = ["registry", "duplicates"] as const;
const meta = { screen: "duplicates" };

export type Candidate = components["schemas"]["DuplicateCandidateRead"];
export type PersonSide = components["schemas"]["PersonSide"];
export type Decision = components["schemas"]["DuplicateDecision"];

export function candidatesQuery(api: Api, search: DuplicatesSearch) {
  return queryOptions({
    queryKey: [...duplicatesKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/duplicate-candidates", {
          params: {
            query: {
              limit: 20,
              status: search.status ?? "pending",
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

export function candidateQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...duplicatesKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.registry.GET("/v1/duplicate-candidates/{candidate_id}", {
          params: { path: { candidate_id: id } },
          signal,
        }),
      ),
    refetchOnWindowFocus: false,
    meta,
  });
}

export function decide(api: Api, id: string, etag: string, body: Decision) {
  return unwrap(
    api.registry.POST("/v1/duplicate-candidates/{candidate_id}/decision", {
      params: { path: { candidate_id: id }, header: { "If-Match": etag } },
      body,
    }),
  );
}

/** The fields shown side by side, in order. */
export const SIDE_FIELDS = [
  "full_name",
  "date_of_birth",
  "birth_year",
  "gender",
  "relationship",
  "citizen_id_masked",
  "legacy_id_masked",
  "household_id",
] as const satisfies readonly (keyof PersonSide)[];
