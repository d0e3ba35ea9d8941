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
import { formatDate, formatDateTime } from "@/lib/format";
import { fundingSourcesQuery } from "./queries";
import { FUNDING_KINDS, type FundingSource } from "./schema";
import { fundingSourcesScreen } from "./screen";
import type { FundingSourcesSearch } from "./search";

const route = getRouteApi("/funding-sources/");

export function FundingSourcesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canWrite = useCanWrite(fundingSourcesScreen);
  const query = useQuery(fundingSourcesQuery(api, search));
  const go = (next: FundingSourcesSearch) => navigate({ search: next });
  const applyFilters = (changes: Partial<FundingSourcesSearch>) =>
    go(cursorTrail.first({ ...search, ...changes }));

  const columns: ColumnsType<FundingSource> = [
    {
      title: t("fundingSources.name"),
      dataIndex: "name",
      minWidth: 260,
      render: (name: string, source) =>
        canWrite ? (
          <Link to="/funding-sources/$sourceId" params={{ sourceId: source.id }}>
            {name}
          </Link>
        ) : (
          name
        ),
    },
    {
      title: t("fundingSources.kind"),
      dataIndex: "kind",
      width: 240,
      render: (kind: FundingSource["kind"]) => t(`fundingSources.kinds.${kind}`),
    },
    { title: t("fundingSources.provinceCode"), dataIndex: "province_code", width: 130 },
    {
      title: t("fundingSources.decisionNumber"),
      key: "decision",
      width: 200,
      render: (_, s) =>
        s.decision_number
          ? `${s.decision_number}${s.decision_date ? ` (${formatDate(s.decision_date)})` : ""}`
          : t("common.none"),
    },
    {
      title: t("fundingSources.status"),
      dataIndex: "active",
      width: 150,
      render: (active: boolean) =>
        active ? (
          <Tag color="green">{t("fundingSources.activeYes")}</Tag>
        ) : (
          <Tag>{t("fundingSources.activeNo")}</Tag>
        ),
    },
    {
      title: t("fundingSources.updatedAt"),
      dataIndex: "updated_at",
      width: 160,
      render: (value: string) => formatDateTime(value),
    },
  ];
  if (canWrite) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      width: 110,
      render: (_, source) => (
        <Link to="/funding-sources/$sourceId" params={{ sourceId: source.id }}>
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
        title={t("fundingSources.title")}
        subtitle={t("fundingSources.subtitle")}
        extra={
          canWrite ? (
            <Link to="/funding-sources/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("common.create")}
              </Button>
            </Link>
          ) : null
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("fundingSources.kind")}>
            <Select
              aria-label={t("fundingSources.kind")}
              style={{ width: 260 }}
              value={search.kind ?? ""}
              onChange={(value) =>
                applyFilters({ kind: (value || undefined) as FundingSourcesSearch["kind"] })
              }
              options={[
                { value: "", label: t("common.all") },
                ...FUNDING_KINDS.map((kind) => ({ value: kind, label: t(`fundingSources.kinds.${kind}`) })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t("fundingSources.status")}>
            <Select
              aria-label={t("fundingSources.status")}
              style={{ width: 180 }}
              value={search.active ?? ""}
              onChange={(value) =>
                applyFilters({ active: (value || undefined) as FundingSourcesSearch["active"] })
              }
              options={[
                { value: "", label: t("common.all") },
                { value: "true", label: t("fundingSources.activeYes") },
                { value: "false", label: t("fundingSources.activeNo") },
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
      <Table<FundingSource>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        locale={{ emptyText: t("paging.empty") }}
        scroll={{ x: 1100 }}
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
