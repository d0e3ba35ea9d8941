import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { Api } from "@/api/client";
import type { components } from "@/api/funding";
import { unwrap, unwrapWithEtag } from "@/api/problem";
import type {
  AllocationsSearch,
  ExceptionsSearch,
  FundSearch,
  LedgerSearch,
  LoansSearch,
  ReportsSearch,
} from "./search";

export const PAGE_SIZE = 20;
export const financeKey = ["funding", "finance"] as const;

type S = components["schemas"];
export type Allocation = S["AllocationRead"];
export type AllocationCreate = S["AllocationCreate"];
export type LedgerAccount = S["LedgerAccountRead"];
export type Loan = S["LoanRead"];
export type LoanEvent = S["LoanEventRead"];
export type LoanException = S["LoanExceptionRead"];
export type Movement = S["MovementRead"];
export type FundingLine = S["FundingLineRead"];
export type FundingSource = S["FundingSourceRead"];
export type CapitalReport = S["CapitalReport"];
export type VbspIndicators = S["VbspIndicators"];
export type FundProjection = S["FundProjection"];

/** Drops empty filters, so the URL's absent values are not sent. */
export function present<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ) as Partial<T>;
}

/** The province of the signed-in person's areas (2-digit, or the first two digits of a commune). */
export function provinceOf(areaCodes: readonly string[]): string {
  return (areaCodes[0] ?? "31").slice(0, 2);
}

export function idempotencyKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export function fundingSourcesAllQuery(api: Api) {
  return queryOptions({
    queryKey: [...financeKey, "sources-all"],
    queryFn: ({ signal }) =>
      unwrap(api.funding.GET("/v1/funding-sources", { params: { query: { limit: 100 } }, signal })),
    staleTime: 60_000,
  });
}

export function allocationsQuery(api: Api, search: AllocationsSearch) {
  return queryOptions({
    queryKey: [...financeKey, "allocations", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/allocations", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...present({
                target_kind: search.target_kind,
                source_id: search.source_id,
                support_case_id: search.support_case_id,
                cursor: search.cursor,
              }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "allocations" },
  });
}

export function allocationQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...financeKey, "allocation", id],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/allocations/{allocation_id}", {
          params: { path: { allocation_id: id } },
          signal,
        }),
      ),
    meta: { screen: "allocations" },
  });
}

export function fundingLinesQuery(api: Api, supportCaseId: string) {
  return queryOptions({
    queryKey: [...financeKey, "funding-lines", supportCaseId],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/funding-lines", {
          params: { query: { support_case_id: supportCaseId, limit: 50 } },
          signal,
        }),
      ),
  });
}

export function ledgerQuery(api: Api, search: LedgerSearch) {
  return queryOptions({
    queryKey: [...financeKey, "ledger", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/ledger/accounts", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...present({ kind: search.kind, source_id: search.source_id, cursor: search.cursor }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "ledger" },
  });
}

export function loansQuery(api: Api, search: LoansSearch) {
  return queryOptions({
    queryKey: [...financeKey, "loans", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/loans", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...present({
                status: search.status,
                eligibility_status: search.eligibility_status,
                cursor: search.cursor,
              }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "loans" },
  });
}

export function loanQuery(api: Api, id: string) {
  return queryOptions({
    queryKey: [...financeKey, "loan", id],
    queryFn: ({ signal }) =>
      unwrap(api.funding.GET("/v1/loans/{loan_id}", { params: { path: { loan_id: id } }, signal })),
  });
}

/** Rows per page of a loan's bank events. */
export const LOAN_EVENTS_PAGE_SIZE = 50;

/** One page of a loan's bank events (keyset: `next_cursor` leads on). */
export function loanEventsQuery(api: Api, id: string, cursor?: string) {
  return queryOptions({
    queryKey: [...financeKey, "loan-events", id, cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/loans/{loan_id}/events", {
          params: {
            path: { loan_id: id },
            query: { limit: LOAN_EVENTS_PAGE_SIZE, ...(cursor ? { cursor } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function exceptionsQuery(api: Api, search: ExceptionsSearch) {
  return queryOptions({
    queryKey: [...financeKey, "exceptions", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/loan-exceptions", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...present({ reason: search.reason, status: search.status, cursor: search.cursor }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "loan-exceptions" },
  });
}

export async function closeException(
  api: Api,
  id: string,
  action: "resolve" | "dismiss",
  reason: string,
): Promise<LoanException> {
  // The row's version is its ETag; read it fresh so a change by someone else is detected.
  const current = await unwrapWithEtag(
    api.funding.GET("/v1/loan-exceptions/{exception_id}", { params: { path: { exception_id: id } } }),
  );
  const params = {
    path: { exception_id: id },
    header: { "If-Match": current.etag ?? `W/"${current.data.version}"` },
  };
  return action === "resolve"
    ? unwrap(api.funding.POST("/v1/loan-exceptions/{exception_id}/resolve", { params, body: { reason } }))
    : unwrap(api.funding.POST("/v1/loan-exceptions/{exception_id}/dismiss", { params, body: { reason } }));
}

export function movementsQuery(api: Api, province: string, search: FundSearch) {
  return queryOptions({
    queryKey: [...financeKey, "movements", province, search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/housing-fund/movements", {
          params: {
            query: {
              limit: PAGE_SIZE,
              province_code: province,
              ...present({ direction: search.direction, cursor: search.cursor }),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    meta: { screen: "housing-fund" },
  });
}

export function fundBalanceQuery(api: Api, province: string) {
  return queryOptions({
    queryKey: [...financeKey, "fund-balance", province],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/housing-fund/balance", {
          params: { query: { province_code: province } },
          signal,
        }),
      ),
  });
}

export function fundProjectionQuery(api: Api, province: string) {
  return queryOptions({
    queryKey: [...financeKey, "fund-projection", province],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/housing-fund/projection", {
          params: { query: { province_code: province, years: 5, basis_years: 3, format: "json" } },
          signal,
        }),
      ) as Promise<FundProjection>,
  });
}

export function capitalReportQuery(api: Api, search: ReportsSearch) {
  return queryOptions({
    queryKey: [...financeKey, "capital", search],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/reports/capital-mobilisation", {
          params: { query: present({ fiscal_year: search.fiscal_year }) },
          signal,
        }),
      ),
    meta: { screen: "finance-reports" },
  });
}

export function vbspIndicatorsQuery(api: Api, province: string, year: number | undefined) {
  return queryOptions({
    queryKey: [...financeKey, "vbsp", province, year],
    queryFn: ({ signal }) =>
      unwrap(
        api.funding.GET("/v1/reports/vbsp-loan-indicators", {
          params: { query: { province_code: province, format: "json", ...present({ year }) } },
          signal,
        }),
      ) as Promise<VbspIndicators>,
  });
}
