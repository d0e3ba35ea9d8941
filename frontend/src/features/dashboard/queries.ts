import { queryOptions } from "@tanstack/react-query";
import dayjs from "dayjs";
import type { Api } from "@/api/client";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import type { BoundariesValue, Period } from "./search";

export const dashboardKey = ["registry", "dashboard"] as const;
const meta = { screen: "dashboard" };

export type Progress = components["schemas"]["Progress"];
export type CountGroup = components["schemas"]["CountGroup"];
export type SupportCaseCounts = components["schemas"]["SupportCaseCounts"];
export type TemporaryHouses = components["schemas"]["TemporaryHousesRemaining"];
export type Dimension = components["schemas"]["SupportCaseDimension"];
export type Interval = components["schemas"]["Interval"];

export function targetProgressQuery(api: Api, period: Period, boundaries: BoundariesValue) {
  return queryOptions({
    queryKey: [...dashboardKey, "target-progress", period, boundaries],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/housing-targets/progress", {
          params: { query: { period, boundaries } },
          signal,
        }),
      ),
    meta,
  });
}

export function supportCaseCountsQuery(
  api: Api,
  by: Dimension,
  boundaries: BoundariesValue,
  level: "province" | "commune" = "province",
) {
  return queryOptions({
    queryKey: [...dashboardKey, "support-cases", by, boundaries, level],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/dashboard/support-cases", {
          params: { query: { by, boundaries, level } },
          signal,
        }),
      ),
    meta,
  });
}

/** The first day counted: a year back by month, three years by quarter, five by year. */
export function temporaryHousesFrom(interval: Interval, today = dayjs()): string {
  const months = { month: 11, quarter: 33, year: 48 }[interval];
  return today.subtract(months, "month").startOf("month").format("YYYY-MM-DD");
}

export function temporaryHousesQuery(api: Api, interval: Interval, boundaries: BoundariesValue) {
  const from = temporaryHousesFrom(interval);
  return queryOptions({
    queryKey: [...dashboardKey, "temporary-houses", interval, boundaries, from],
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/v1/dashboard/temporary-houses-remaining", {
          params: { query: { from, interval, boundaries, level: "province" } },
          signal,
        }),
      ),
    meta,
  });
}

/** Per commune: every group's count added up (the map's and the table's numbers). */
export function countsByArea(groups: readonly CountGroup[]): { code: string; name: string; count: number }[] {
  const byCode = new Map<string, { code: string; name: string; count: number }>();
  for (const group of groups) {
    for (const item of group.items) {
      const code = item.code ?? "";
      const row = byCode.get(code) ?? { code, name: item.name ?? "", count: 0 };
      row.count += item.count;
      byCode.set(code, row);
    }
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
