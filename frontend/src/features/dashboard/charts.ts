/** ECharts options built from the services' answers: pure functions, so the numbers are tested
 * without a canvas. Labels come in already translated. */
import type { CountGroup, Progress, TemporaryHouses } from "./queries";

export interface SeriesLabels {
  target: string;
  started: string;
  completed: string;
  unplaced: string;
}

type Option = Record<string, unknown>;

const base = (title: string): Option => ({
  aria: { enabled: true, label: { description: title } },
  tooltip: { trigger: "axis" },
  legend: { bottom: 0 },
  grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
});

/** Per area: the whole-period target next to the units started and completed. */
export function progressByAreaOption(progress: Progress, labels: SeriesLabels, title: string): Option {
  const areas = progress.areas;
  return {
    ...base(title),
    xAxis: { type: "category", data: areas.map((a) => a.name ?? a.code ?? labels.unplaced) },
    yAxis: { type: "value" },
    series: [
      { name: labels.target, type: "bar", data: areas.map((a) => a.target_units ?? 0) },
      { name: labels.started, type: "bar", data: areas.map((a) => a.started_units) },
      { name: labels.completed, type: "bar", data: areas.map((a) => a.completed_units) },
    ],
  };
}

/** Every year of the period: started and completed (all areas), and the year's targets if any. */
export function progressByYearOption(progress: Progress, labels: SeriesLabels, title: string): Option {
  const years: number[] = [];
  for (let y = progress.period_start_year; y <= progress.period_end_year; y += 1) years.push(y);
  const sum = (year: number, key: "started_units" | "completed_units") =>
    progress.areas.reduce((total, area) => total + (area.years.find((y) => y.year === year)?.[key] ?? 0), 0);
  const yearTargets = years.map((year) => {
    const rows = progress.targets.filter((t) => t.year === year && !t.superseded_by_id);
    return rows.length ? rows.reduce((total, t) => total + t.units, 0) : null;
  });
  return {
    ...base(title),
    xAxis: { type: "category", data: years.map(String) },
    yAxis: { type: "value" },
    series: [
      { name: labels.started, type: "bar", data: years.map((y) => sum(y, "started_units")) },
      { name: labels.completed, type: "bar", data: years.map((y) => sum(y, "completed_units")) },
      { name: labels.target, type: "line", data: yearTargets, connectNulls: false },
    ],
  };
}

/** The whole-period targets of the chosen period (not superseded), e.g. 5,860 for 2021-2025. */
export function periodTargets(progress: Progress) {
  return progress.targets.filter(
    (t) =>
      t.year === null &&
      !t.superseded_by_id &&
      t.period_start_year === progress.period_start_year &&
      t.period_end_year === progress.period_end_year,
  );
}

export function temporaryHousesOption(data: TemporaryHouses, seriesName: string, title: string): Option {
  return {
    ...base(title),
    xAxis: { type: "category", data: data.periods.map((p) => p.period_end) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: seriesName, type: "line", areaStyle: {}, data: data.periods.map((p) => p.total) }],
  };
}

export function countGroupsOption(
  groups: readonly CountGroup[],
  label: (key: string) => string,
  seriesName: string,
  title: string,
): Option {
  return {
    ...base(title),
    tooltip: { trigger: "item" },
    xAxis: {
      type: "category",
      data: groups.map((g) => label(g.key)),
      axisLabel: { interval: 0, width: 110, overflow: "break" },
    },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: seriesName,
        type: "bar",
        data: groups.map((g) => g.total),
        label: { show: true, position: "top" },
      },
    ],
  };
}
