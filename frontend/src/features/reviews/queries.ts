import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type { components } from "@/api/registry";
import type { CampaignSearch, CampaignsSearch } from "./search";

export const PAGE_SIZE = 20;
export const reviewsKey = ["registry", "review-campaigns"] as const;
const meta = { screen: "review-campaigns" };

export type Campaign = components["schemas"]["CampaignRead"];
export type CommuneProgress = components["schemas"]["CommuneProgressRead"];
export type ReviewRecord = components["schemas"]["RecordRead"];
export type RecordCreate = components["schemas"]["RecordCreate"];
export type ReviewState = components["schemas"]["ReviewState"];

export function campaignsQuery(api: Api, search: CampaignsSearch) {
  return queryOptions({
    queryKey: [...reviewsKey, "list", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/review-campaigns", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(search.year ? { year: search.year } : {}),
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

export function campaignQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...reviewsKey, "one", id],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/review-campaigns/{campaign_id}", {
          params: { path: { campaign_id: id } },
          signal,
        }),
      ),
    meta,
  });
}

export function progressQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...reviewsKey, "one", id, "progress"],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/review-campaigns/{campaign_id}/progress", {
          params: { path: { campaign_id: id } },
          signal,
        }),
      ),
    meta,
  });
}

export function recordsQuery(api: Api, id: string, search: CampaignSearch) {
  return queryOptions({
    queryKey: [...reviewsKey, "one", id, "records", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/review-campaigns/{campaign_id}/records", {
          params: {
            path: { campaign_id: id },
            query: {
              limit: PAGE_SIZE,
              ...(search.commune_code ? { commune_code: search.commune_code } : {}),
              ...(search.state ? { state: search.state } : {}),
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

export function createRecord(api: Api, campaignId: string, body: RecordCreate) {
  return unwrap(
    api.registry.POST("/v1/review-campaigns/{campaign_id}/records", {
      params: { path: { campaign_id: campaignId } },
      body,
    }),
  );
}

export type RecordUpdate = components["schemas"]["RecordUpdate"];
export type CorrectionCreate = components["schemas"]["CorrectionCreate"];
export type RecordMode = "edit" | "correct" | null;

/** Draft and returned records are changed in place; an approved one is corrected by a new record that
 * carries the reason; a submitted one waits for the province. Only recorders do either. */
export function recordMode(record: Pick<ReviewRecord, "state">, canRecord: boolean): RecordMode {
  if (!canRecord) return null;
  if (record.state === "draft" || record.state === "returned") return "edit";
  if (record.state === "approved") return "correct";
  return null;
}

/** The record's ETag is read right before the change and sent as If-Match. */
export async function updateRecord(api: Api, record: Pick<ReviewRecord, "id">, body: RecordUpdate) {
  const path = { record_id: record.id };
  const current = await unwrapWithEtag(
    api.registry.GET("/v1/review-records/{record_id}", { params: { path } }),
  );
  return unwrap(
    api.registry.PATCH("/v1/review-records/{record_id}", {
      params: { path, header: { "If-Match": current.etag ?? `W/"${current.data.version}"` } },
      body,
    }),
  );
}

export function correctRecord(api: Api, recordId: string, body: CorrectionCreate) {
  return unwrap(
    api.registry.POST("/v1/review-records/{record_id}/corrections", {
      params: { path: { record_id: recordId } },
      body,
    }),
  );
}

export type SetAction = "submit" | "approve" | "return";

/** A commune's record set moves as one: the set's ETag is read right before the step, sent as If-Match
 * (a 412 then means someone moved it meanwhile). */
export async function runSetAction(
  api: Api,
  campaignId: string,
  communeCode: string,
  action: SetAction,
  reason?: string,
) {
  const path = { campaign_id: campaignId, commune_code: communeCode };
  const current = await unwrapWithEtag(
    api.registry.GET("/v1/review-campaigns/{campaign_id}/communes/{commune_code}", { params: { path } }),
  );
  const params = { path, header: { "If-Match": current.etag ?? `W/"${current.data.version}"` } };
  switch (action) {
    case "submit":
      return unwrap(
        api.registry.POST("/v1/review-campaigns/{campaign_id}/communes/{commune_code}/submit", { params }),
      );
    case "approve":
      return unwrap(
        api.registry.POST("/v1/review-campaigns/{campaign_id}/communes/{commune_code}/approve", { params }),
      );
    case "return":
      return unwrap(
        api.registry.POST("/v1/review-campaigns/{campaign_id}/communes/{commune_code}/return", {
          params,
          body: { reason: reason ?? "" },
        }),
      );
  }
}

/** Which steps a commune's set offers: recorders submit a draft or returned set, deciders approve or
 * return a submitted one. */
export function setActions(
  state: ReviewState | null,
  pending: number,
  canRecord: boolean,
  canDecide: boolean,
): SetAction[] {
  const actions: SetAction[] = [];
  if (canRecord && (state === null || state === "draft" || state === "returned") && pending > 0)
    actions.push("submit");
  if (canDecide && state === "submitted") actions.push("approve", "return");
  return actions;
}

/** The campaign a household's result goes into today: this year's campaign of its province, while
 * its window is open (null when there is none; the service would refuse a record outside it). */
export function currentCampaignQuery(api: Api, provinceCode: string, today: string) {
  const year = Number(today.slice(0, 4));
  return queryOptions({
    queryKey: [...reviewsKey, "current", provinceCode, today],
    queryFn: async ({ signal }) => {
      const page = await unwrap(
        api.registry.GET("/v1/review-campaigns", { params: { query: { year, limit: PAGE_SIZE } }, signal }),
      );
      return (
        page.items.find(
          (c) =>
            c.province_code === provinceCode && c.window_opens_on <= today && today <= c.window_closes_on,
        ) ?? null
      );
    },
    meta,
  });
}
