import { screen, waitFor } from "@testing-library/react";
import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import { json, renderApp, USERS } from "@/test/harness";
import { shade } from "./CommuneMap";
import { countGroupsOption, periodTargets, progressByAreaOption, progressByYearOption } from "./charts";
import { countsByArea, type Progress, temporaryHousesFrom } from "./queries";

const target = (changes: Record<string, unknown>) => ({
  id: `t-${String(changes.code)}`,
  code: "HD_PLAN_2021_2025",
  area_code: "30",
  area_scheme: "legacy",
  province_code: "31",
  period_start_year: 2021,
  period_end_year: 2025,
  year: null,
  units: 5860,
  legal_basis: "Kế hoạch phát triển nhà ở xã hội tỉnh Hải Dương",
  issued_on: "2024-05-24",
  certainty: "uncertain",
  note: null,
  supersedes_id: null,
  superseded_by_id: null,
  created_at: "2026-01-01T00:00:00Z",
  ...changes,
});

const PROGRESS = {
  period_start_year: 2021,
  period_end_year: 2025,
  boundaries: "old",
  areas: [
    {
      code: "30",
      name: "Tỉnh Hải Dương",
      started_units: 900,
      completed_units: 619,
      target_units: 5860,
      years: [
        { year: 2024, started_units: 400, completed_units: 300 },
        { year: 2025, started_units: 500, completed_units: 319 },
      ],
    },
    {
      code: "31",
      name: "Thành phố Hải Phòng",
      started_units: 100,
      completed_units: 0,
      target_units: null,
      years: [],
    },
  ],
  targets: [
    target({ code: "HD_PLAN_2021_2025" }),
    target({ code: "HD_2025", year: 2025, units: 530 }),
    target({ code: "QD444", period_end_year: 2030, units: 15900, certainty: "confirmed" }),
  ],
} as unknown as Progress;

const group = (key: string, items: [string, string, number][]) => ({
  key,
  total: items.reduce((s, [, , n]) => s + n, 0),
  items: items.map(([code, name, count]) => ({ code, name, count })),
});

describe("dashboard data", () => {
  it("puts targets next to progress, per area and per year", () => {
    const labels = { target: "T", started: "S", completed: "C", unplaced: "?" };
    const byArea = progressByAreaOption(PROGRESS, labels, "x") as { series: { data: number[] }[] };
    expect(byArea.series.map((s) => s.data)).toEqual([
      [5860, 0],
      [900, 100],
      [619, 0],
    ]);
    const byYear = progressByYearOption(PROGRESS, labels, "x") as {
      xAxis: { data: string[] };
      series: { data: (number | null)[] }[];
    };
    expect(byYear.xAxis.data).toEqual(["2021", "2022", "2023", "2024", "2025"]);
    expect(byYear.series[0]?.data).toEqual([0, 0, 0, 400, 500]);
    expect(byYear.series[2]?.data).toEqual([null, null, null, null, 530]);
    expect(periodTargets(PROGRESS).map((t) => t.units)).toEqual([5860]);
  });

  it("adds up the communes' counts over the groups", () => {
    const groups = [
      group("proposed", [
        ["10525", "Phường Hải Dương", 3],
        ["10972", "Xã An Phú", 1],
      ]),
      group("approved", [["10972", "Xã An Phú", 4]]),
    ];
    expect(countsByArea(groups)).toEqual([
      { code: "10972", name: "Xã An Phú", count: 5 },
      { code: "10525", name: "Phường Hải Dương", count: 3 },
    ]);
    const option = countGroupsOption(groups, (k) => k.toUpperCase(), "n", "t") as {
      series: { data: number[] }[];
    };
    expect(option.series[0]?.data).toEqual([4, 4]);
    expect(shade(0, 5)).toBe("#f0f0f0");
    expect(shade(5, 5)).toBe("#003eb3");
    expect(temporaryHousesFrom("month", dayjs("2026-11-28"))).toBe("2025-12-01");
  });

  it("shows the targets, the counts per commune and says that no commune shapes exist", {
    timeout: 60_000,
  }, async () => {
    const app = renderApp({
      path: "/?boundaries=old",
      user: USERS.province,
      routes: {
        "GET /api/registry/v1/housing-targets/progress": () => json(PROGRESS),
        "GET /api/registry/v1/dashboard/support-cases": (_r, url) =>
          json({
            boundaries: "old",
            level: url.searchParams.get("level"),
            by: url.searchParams.get("by"),
            proposed_from: null,
            proposed_to: null,
            groups:
              url.searchParams.get("by") === "stream"
                ? [group("campaign", [["10525", "Phường Hải Dương", 2]])]
                : [group("proposed", [["10525", "Phường Hải Dương", 2]])],
          }),
        "GET /api/registry/v1/dashboard/temporary-houses-remaining": () =>
          json({
            boundaries: "old",
            level: "province",
            interval: "month",
            from: "2025-12-01",
            to: "2026-11-28",
            periods: [{ period_end: "2026-11-28", total: 42, items: [] }],
          }),
      },
    });
    // The first render loads the ECharts chunk (slow on a busy machine).
    expect(await screen.findByTestId("period-targets", {}, { timeout: 30_000 })).toHaveTextContent("5.860");
    expect(screen.getByTestId("period-targets")).toHaveTextContent("Chưa xác minh");
    expect(await screen.findByText("42")).toBeInTheDocument();
    expect(
      await screen.findByText(/không có toạ độ hay ranh giới xã/, {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(await screen.findByText("Phường Hải Dương (10525)")).toBeInTheDocument();
    await waitFor(() => {
      const progress = app.calls.find((c) => c.url.includes("/housing-targets/progress"));
      expect(new URL(progress?.url ?? "http://x").searchParams.get("boundaries")).toBe("old");
    });
    const level = app.calls
      .filter((c) => c.url.includes("/dashboard/support-cases"))
      .map((c) => new URL(c.url).searchParams.get("level"));
    expect(level).toContain("commune");
  });

  it("shows a finance officer only the targets", { timeout: 60_000 }, async () => {
    renderApp({
      path: "/",
      user: USERS.finance,
      routes: { "GET /api/registry/v1/housing-targets/progress": () => json(PROGRESS) },
    });
    expect(await screen.findByTestId("targets", {}, { timeout: 30_000 })).toBeInTheDocument();
    expect(screen.queryByTestId("commune-map")).toBeNull();
    expect(screen.queryByTestId("cases-by-status")).toBeNull();
  });
});
