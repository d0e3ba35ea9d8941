import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, Select, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetPager } from "@/components/KeysetPager";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDate, formatNumber } from "@/lib/format";
import { landUsePlansQuery } from "./queries";
import { type LandUsePlan, PLAN_LEVELS, PLAN_STATUSES } from "./schema";
import { landUsePlansScreen } from "./screen";
import type { LandUsePlansSearch } from "./search";

const route = getRouteApi("/land-use-plans/");
const STATUS_COLORS = { draft: "default", approved: "green", superseded: "orange" } as const;

export function LandUsePlansPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canWrite = useCanWrite(landUsePlansScreen);
  const query = useQuery(landUsePlansQuery(api, search));
  const go = (next: LandUsePlansSearch) => navigate({ search: next });
  const applyFilters = (changes: Partial<LandUsePlansSearch>) =>
    go(cursorTrail.first({ ...search, ...changes }));

  const columns: ColumnsType<LandUsePlan> = [
    {
      title: t("landUsePlans.name"),
      dataIndex: "name",
      minWidth: 260,
      render: (name: string, plan) =>
        canWrite ? (
          <Link to="/land-use-plans/$planId" params={{ planId: plan.id }}>
            {name}
          </Link>
        ) : (
          name
        ),
    },
    {
      title: t("landUsePlans.level"),
      dataIndex: "level",
      width: 170,
      render: (level: LandUsePlan["level"]) => t(`landUsePlans.levels.${level}`),
    },
    {
      title: t("landUsePlans.status"),
      dataIndex: "status",
      width: 150,
      render: (status: LandUsePlan["status"]) => (
        <Tag color={STATUS_COLORS[status]}>{t(`landUsePlans.statuses.${status}`)}</Tag>
      ),
    },
    {
      title: t("landUsePlans.area"),
      key: "area",
      width: 120,
      render: (_, plan) => plan.commune_code ?? plan.province_code,
    },
    {
      title: t("landUsePlans.decisionNumber"),
      key: "decision",
      width: 200,
      render: (_, p) =>
        p.decision_number
          ? `${p.decision_number}${p.decision_date ? ` (${formatDate(p.decision_date)})` : ""}`
          : t("common.none"),
    },
    {
      title: t("landUsePlans.socialHousingLand"),
      dataIndex: "social_housing_land_m2",
      width: 190,
      align: "right",
      render: (value: number | null) =>
        value === null ? t("common.none") : formatNumber(value, i18n.language),
    },
  ];
  if (canWrite) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      width: 110,
      render: (_, plan) => (
        <Link to="/land-use-plans/$planId" params={{ planId: plan.id }}>
          {t("common.edit")}
        </Link>
      ),
    });
  }

  const page = search.page ?? 1;
  const previous = cursorTrail.previous(search);
  return (
    <>
      <PageHeader
        title={t("landUsePlans.title")}
        subtitle={t("landUsePlans.subtitle")}
        extra={
          canWrite ? (
            <Link to="/land-use-plans/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("common.create")}
              </Button>
            </Link>
          ) : null
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("landUsePlans.level")}>
            <Select
              aria-label={t("landUsePlans.level")}
              style={{ width: 200 }}
              value={search.level ?? ""}
              onChange={(value) =>
                applyFilters({ level: (value || undefined) as LandUsePlansSearch["level"] })
              }
              options={[
                { value: "", label: t("common.all") },
                ...PLAN_LEVELS.map((level) => ({ value: level, label: t(`landUsePlans.levels.${level}`) })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t("landUsePlans.status")}>
            <Select
              aria-label={t("landUsePlans.status")}
              style={{ width: 180 }}
              value={search.status ?? ""}
              onChange={(value) =>
                applyFilters({ status: (value || undefined) as LandUsePlansSearch["status"] })
              }
              options={[
                { value: "", label: t("common.all") },
                ...PLAN_STATUSES.map((status) => ({
                  value: status,
                  label: t(`landUsePlans.statuses.${status}`),
                })),
              ]}
            />
          </Form.Item>
          <Space>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
      </Card>
      {query.isError ? (
        <ProblemAlert
          error={query.error}
          onReload={() => (search.cursor ? go(cursorTrail.first(search)) : void query.refetch())}
        />
      ) : null}
      <Table<LandUsePlan>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        locale={{ emptyText: t("paging.empty") }}
        scroll={{ x: 1150 }}
      />
      <KeysetPager
        page={page}
        hasNext={Boolean(query.data?.next_cursor)}
        loading={query.isFetching}
        onFirst={() => go(cursorTrail.first(search))}
        onPrevious={previous ? () => go(previous) : null}
        onNext={() => {
          const next = query.data?.next_cursor;
          if (next) go(cursorTrail.next(search, next));
        }}
      />
    </>
  );
}
