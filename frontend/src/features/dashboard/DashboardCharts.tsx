/** The dashboard's charts (lazily loaded with ECharts): targets against progress, temporary houses
 * remaining, support cases by stream and by status. */
import { useQuery } from "@tanstack/react-query";
import { Card, Col, Empty, Row, Skeleton, Statistic, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { ProblemAlert } from "@/components/ProblemAlert";
import { formatNumber } from "@/lib/format";
import {
  countGroupsOption,
  periodTargets,
  progressByAreaOption,
  progressByYearOption,
  temporaryHousesOption,
} from "./charts";
import EChart from "./EChart";
import { supportCaseCountsQuery, targetProgressQuery, temporaryHousesQuery } from "./queries";
import { DASHBOARD_ROLES, TARGET_ROLES } from "./roles";
import type { BoundariesValue, DashboardSearch, Period } from "./search";

function ChartCard({
  title,
  query,
  children,
  testId,
}: {
  title: string;
  query: { isError: boolean; error: unknown; data?: unknown; refetch: () => unknown };
  children: () => ReactNode;
  testId: string;
}) {
  return (
    <Card size="small" title={title} data-testid={testId} style={{ height: "100%" }}>
      {query.isError ? (
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      ) : query.data ? (
        children()
      ) : (
        <Skeleton active />
      )}
    </Card>
  );
}

export default function DashboardCharts({ search }: { search: DashboardSearch }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const period: Period = search.period ?? "2021-2025";
  const boundaries: BoundariesValue = search.boundaries ?? "new";
  const interval = search.interval ?? "month";
  const showTargets = hasRole(user, TARGET_ROLES);
  const showCases = hasRole(user, DASHBOARD_ROLES);
  const progress = useQuery({ ...targetProgressQuery(api, period, boundaries), enabled: showTargets });
  const temporary = useQuery({ ...temporaryHousesQuery(api, interval, boundaries), enabled: showCases });
  const byStream = useQuery({ ...supportCaseCountsQuery(api, "stream", boundaries), enabled: showCases });
  const byStatus = useQuery({ ...supportCaseCountsQuery(api, "status", boundaries), enabled: showCases });
  const labels = {
    target: t("dashboard.target"),
    started: t("dashboard.started"),
    completed: t("dashboard.completed"),
    unplaced: t("dashboard.unplaced"),
  };
  const n = (value: number) => formatNumber(value, i18n.language);

  return (
    <Row gutter={[16, 16]}>
      {showTargets ? (
        <Col xs={24}>
          <ChartCard title={t("dashboard.targetsTitle", { period })} query={progress} testId="targets">
            {() => {
              const data = progress.data;
              if (!data) return null;
              const targets = periodTargets(data);
              const completed = data.areas.reduce((s, a) => s + a.completed_units, 0);
              const started = data.areas.reduce((s, a) => s + a.started_units, 0);
              return (
                <Row gutter={[16, 16]}>
                  <Col xs={24} md={8}>
                    <Statistic title={t("dashboard.completedUnits")} value={n(completed)} />
                    <Statistic title={t("dashboard.startedUnits")} value={n(started)} />
                    <Typography.Text strong>{t("dashboard.periodTargets")}</Typography.Text>
                    {targets.length === 0 ? (
                      <Typography.Paragraph type="secondary">{t("dashboard.noTargets")}</Typography.Paragraph>
                    ) : (
                      <ul style={{ paddingInlineStart: 18, marginTop: 4 }} data-testid="period-targets">
                        {targets.map((target) => (
                          <li key={target.id}>
                            <Typography.Text>
                              {t("dashboard.targetLine", {
                                area: target.area_code,
                                scheme: t(`dashboard.schemes.${target.area_scheme}`),
                                units: n(target.units),
                              })}
                            </Typography.Text>{" "}
                            {target.certainty === "uncertain" ? (
                              <Tag color="orange">{t("dashboard.uncertain")}</Tag>
                            ) : null}
                            <br />
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {target.legal_basis}
                            </Typography.Text>
                          </li>
                        ))}
                      </ul>
                    )}
                  </Col>
                  <Col xs={24} md={8}>
                    <EChart
                      label={t("dashboard.byArea")}
                      option={progressByAreaOption(data, labels, t("dashboard.byArea"))}
                      height={280}
                    />
                  </Col>
                  <Col xs={24} md={8}>
                    <EChart
                      label={t("dashboard.byYear")}
                      option={progressByYearOption(data, labels, t("dashboard.byYear"))}
                      height={280}
                    />
                  </Col>
                </Row>
              );
            }}
          </ChartCard>
        </Col>
      ) : null}
      {showCases ? (
        <>
          <Col xs={24} lg={8}>
            <ChartCard title={t("dashboard.temporaryTitle")} query={temporary} testId="temporary-houses">
              {() =>
                temporary.data ? (
                  <>
                    <Statistic
                      title={t("dashboard.temporaryNow")}
                      value={n(temporary.data.periods.at(-1)?.total ?? 0)}
                    />
                    <EChart
                      label={t("dashboard.temporaryTitle")}
                      option={temporaryHousesOption(
                        temporary.data,
                        t("dashboard.remaining"),
                        t("dashboard.temporaryTitle"),
                      )}
                      height={220}
                    />
                  </>
                ) : null
              }
            </ChartCard>
          </Col>
          <Col xs={24} lg={8}>
            <ChartCard title={t("dashboard.byStreamTitle")} query={byStream} testId="cases-by-stream">
              {() =>
                byStream.data?.groups.length ? (
                  <EChart
                    label={t("dashboard.byStreamTitle")}
                    option={countGroupsOption(
                      byStream.data.groups,
                      (key) =>
                        t(`supportCases.streams.${key}` as "supportCases.streams.merit", {
                          defaultValue: key,
                        }),
                      t("dashboard.cases"),
                      t("dashboard.byStreamTitle"),
                    )}
                    height={280}
                  />
                ) : (
                  <Empty description={t("paging.empty")} />
                )
              }
            </ChartCard>
          </Col>
          <Col xs={24} lg={8}>
            <ChartCard title={t("dashboard.byStatusTitle")} query={byStatus} testId="cases-by-status">
              {() =>
                byStatus.data?.groups.length ? (
                  <EChart
                    label={t("dashboard.byStatusTitle")}
                    option={countGroupsOption(
                      byStatus.data.groups,
                      (key) =>
                        t(`supportCases.statuses.${key}` as "supportCases.statuses.proposed", {
                          defaultValue: key,
                        }),
                      t("dashboard.cases"),
                      t("dashboard.byStatusTitle"),
                    )}
                    height={280}
                  />
                ) : (
                  <Empty description={t("paging.empty")} />
                )
              }
            </ChartCard>
          </Col>
        </>
      ) : null}
    </Row>
  );
}
