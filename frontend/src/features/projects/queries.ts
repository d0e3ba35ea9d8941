import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { components } from "@/api/registry";
import type { ApplicationsSearch, ProjectsSearch, RoundsSearch } from "./search";

export const PAGE_SIZE = 20;
export const projectsKey = ["registry", "housing-projects"] as const;
export const applicationsKey = ["registry", "applications"] as const;
export const roundsKey = ["registry", "allocation-rounds"] as const;

export type Project = components["schemas"]["HousingProjectRead"];
export type Milestone = components["schemas"]["Milestone"];
export type Round = components["schemas"]["RoundRead"];
export type RoundEntry = components["schemas"]["RoundEntry"];
export type ApplicationRow = components["schemas"]["ApplicationRead"];
export type Application = components["schemas"]["ApplicationDetail"];
export type TraceEntry = components["schemas"]["TraceEntry"];
export type Evidence = components["schemas"]["EvidenceRead"];
export type ApplicationStatus = components["schemas"]["ApplicationStatus"];

export function projectsQuery(api: Api, search: ProjectsSearch) {
  return queryOptions({
    queryKey: [...projectsKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/housing-projects", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.commune_code ? { commune_code: search.commune_code } : {}),
              ...(search.kind ? { kind: search.kind } : {}),
              ...(search.cursor ? { cursor: search.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "housing-projects" },
  });
}

export function projectQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...projectsKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.registry.GET("/v1/housing-projects/{project_id}", {
          params: { path: { project_id: id } },
          signal,
        }),
      ),
    refetchOnWindowFocus: false,
  });
}

export function recordMilestone(api: Api, id: string, etag: string, milestone: Milestone, on: string) {
  return unwrap(
    api.registry.POST("/v1/housing-projects/{project_id}/milestones", {
      params: { path: { project_id: id }, header: { "If-Match": etag } },
      body: { milestone, on },
    }),
  );
}

/** The next milestone a project can record (they come in order). */
export function nextMilestone(project: Project): Milestone | null {
  if (!project.approved_on) return "approved";
  if (!project.started_on) return "started";
  if (!project.completed_on) return "completed";
  if (!project.handed_over_on) return "handed_over";
  return null;
}

export function roundsQuery(api: Api, projectId: string) {
  return queryOptions({
    queryKey: [...roundsKey, "list", projectId],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/allocation-rounds", {
          params: { query: { project_id: projectId, limit: 100 } },
          signal,
        }),
      ),
  });
}

export function allRoundsQuery(api: Api, search: RoundsSearch) {
  return queryOptions({
    queryKey: [...roundsKey, "all", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/allocation-rounds", {
          params: { query: { limit: PAGE_SIZE, ...(search.cursor ? { cursor: search.cursor } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function roundQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...roundsKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.registry.GET("/v1/allocation-rounds/{round_id}", { params: { path: { round_id: id } }, signal }),
      ),
    refetchOnWindowFocus: false,
  });
}

export function drawRound(api: Api, id: string, etag: string) {
  return unwrap(
    api.registry.POST("/v1/allocation-rounds/{round_id}/draw", {
      params: { path: { round_id: id }, header: { "If-Match": etag } },
      body: {},
    }),
  );
}

export function applicationsQuery(api: Api, search: ApplicationsSearch) {
  return queryOptions({
    queryKey: [...applicationsKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/applications", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.status ? { status: search.status } : {}),
              ...(search.cursor ? { cursor: search.cursor } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "applications" },
  });
}

export function applicationQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...applicationsKey, "one", id],
    queryFn: ({ signal }) =>
      unwrapWithEtag(
        api.registry.GET("/v1/applications/{application_id}", {
          params: { path: { application_id: id } },
          signal,
        }),
      ),
    refetchOnWindowFocus: false,
  });
}

export type ApplicationAction = "submit" | "assess" | "withdraw";

export const APPLICATION_ACTIONS: Record<ApplicationStatus, readonly ApplicationAction[]> = {
  draft: ["submit", "withdraw"],
  submitted: ["assess", "withdraw"],
  eligible: ["withdraw"],
  ineligible: [],
  allocated: [],
  withdrawn: [],
};

export function runApplicationAction(
  api: Api,
  id: string,
  action: ApplicationAction,
  etag: string,
  reason?: string,
) {
  const params = { path: { application_id: id }, header: { "If-Match": etag } };
  switch (action) {
    case "submit":
      return unwrap(api.registry.POST("/v1/applications/{application_id}/submit", { params, body: {} }));
    case "assess":
      return unwrap(api.registry.POST("/v1/applications/{application_id}/assess", { params, body: {} }));
    case "withdraw":
      return unwrap(
        api.registry.POST("/v1/applications/{application_id}/withdraw", {
          params,
          body: { reason: reason ?? "" },
        }),
      );
  }
}
