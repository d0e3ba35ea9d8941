/** The dashboard on the home page: its choices in the URL, its charts and map loaded lazily (ECharts
 * and Leaflet are separate chunks, fetched only when a dashboard is shown). */
import { useNavigate, useSearch } from "@tanstack/react-router";
import { Card, Col, Form, Row, Segmented, Select, Skeleton } from "antd";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { DASHBOARD_ROLES, TARGET_ROLES } from "./roles";
import { BOUNDARIES, type DashboardSearch, dashboardSearchSchema, INTERVALS, PERIODS } from "./search";

const DashboardCharts = lazy(() => import("./DashboardCharts"));
const CommuneMap = lazy(() => import("./CommuneMap"));

export function Dashboard() {
  const { t } = useTranslation();
  const user = useUser();
  const raw = useSearch({ strict: false });
  const search = dashboardSearchSchema.parse(raw);
  const navigate = useNavigate();
  const set = (changes: Partial<DashboardSearch>) =>
    void navigate({ to: "/", search: { ...search, ...changes } });
  const showCases = hasRole(user, DASHBOARD_ROLES);
  if (!hasRole(user, TARGET_ROLES) && !showCases) return null;
  return (
    <section aria-label={t("dashboard.title")} style={{ marginBottom: 24 }}>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t("dashboard.period")}>
            <Select
              aria-label={t("dashboard.period")}
              style={{ width: 140 }}
              value={search.period ?? "2021-2025"}
              onChange={(period) => set({ period })}
              options={PERIODS.map((value) => ({ value, label: value }))}
            />
          </Form.Item>
          <Form.Item label={t("dashboard.boundaries")}>
            <Segmented
              aria-label={t("dashboard.boundaries")}
              value={search.boundaries ?? "new"}
              onChange={(boundaries) => set({ boundaries: boundaries as DashboardSearch["boundaries"] })}
              options={BOUNDARIES.map((value) => ({ value, label: t(`dashboard.boundaryNames.${value}`) }))}
            />
          </Form.Item>
          {showCases ? (
            <Form.Item label={t("dashboard.interval")}>
              <Select
                aria-label={t("dashboard.interval")}
                style={{ width: 120 }}
                value={search.interval ?? "month"}
                onChange={(interval) => set({ interval })}
                options={INTERVALS.map((value) => ({ value, label: t(`dashboard.intervals.${value}`) }))}
              />
            </Form.Item>
          ) : null}
        </Form>
      </Card>
      <Suspense fallback={<Skeleton active />}>
        <DashboardCharts search={search} />
      </Suspense>
      {showCases ? (
        <Row style={{ marginTop: 16 }}>
          <Col xs={24}>
            <Suspense fallback={<Skeleton active />}>
              <CommuneMap boundaries={search.boundaries ?? "new"} />
            </Suspense>
          </Col>
        </Row>
      ) : null}
    </section>
  );
}
