import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, Select, Space, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { CommuneSelect } from "@/components/CommuneSelect";
import { KeysetPager } from "@/components/KeysetPager";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { formatDate, formatNumber } from "@/lib/format";
import { StatusTag } from "./labels";
import { ProposeSupportCaseButton } from "./ProposeButton";
import { type SupportCaseRow, supportCasesQuery } from "./queries";
import { KINDS, STATUSES, STREAMS, type SupportCasesSearch } from "./search";

const route = getRouteApi("/support-cases/");
const PLURAL = { stream: "streams", kind: "kinds", status: "statuses" } as const;

export function SupportCasesPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(supportCasesQuery(api, search));
  const go = (next: SupportCasesSearch) => navigate({ search: next });
  const applyFilters = (changes: Partial<SupportCasesSearch>) =>
    go(cursorTrail.first({ ...search, ...changes }));

  const columns: ColumnsType<SupportCaseRow> = [
    {
      title: t("supportCases.proposedOn"),
      dataIndex: "proposed_on",
      width: 130,
      render: (value: string, row) => (
        <Link to="/support-cases/$caseId" params={{ caseId: row.id }}>
          {formatDate(value)}
        </Link>
      ),
    },
    {
      title: t("supportCases.stream"),
      dataIndex: "stream",
      render: (value: SupportCaseRow["stream"]) => t(`supportCases.streams.${value}`),
    },
    {
      title: t("supportCases.kind"),
      dataIndex: "kind",
      width: 140,
      render: (value: SupportCaseRow["kind"]) => t(`supportCases.kinds.${value}`),
    },
    {
      title: t("supportCases.status"),
      dataIndex: "status",
      width: 150,
      render: (value: SupportCaseRow["status"]) => <StatusTag status={value} />,
    },
    {
      title: t("supportCases.amount"),
      dataIndex: "amount_vnd",
      width: 150,
      align: "right",
      render: (value: number) => `${formatNumber(value, i18n.language)} ₫`,
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 110 },
    {
      title: t("common.actions"),
      key: "open",
      width: 110,
      render: (_, row) => (
        <Link to="/support-cases/$caseId" params={{ caseId: row.id }}>
          {t("supportCases.open")}
        </Link>
      ),
    },
  ];

  const select = <K extends "stream" | "kind" | "status">(
    key: K,
    values: readonly NonNullable<SupportCasesSearch[K]>[],
    width: number,
  ) => (
    <Form.Item label={t(`supportCases.${key}`)}>
      <Select
        aria-label={t(`supportCases.${key}`)}
        style={{ width }}
        value={search[key] ?? ""}
        onChange={(value) => applyFilters({ [key]: value || undefined } as Partial<SupportCasesSearch>)}
        options={[
          { value: "", label: t("common.all") },
          ...values.map((value) => ({
            value,
            label: t(`supportCases.${PLURAL[key]}.${value}` as "supportCases.streams.merit"),
          })),
        ]}
      />
    </Form.Item>
  );

  const page = search.page ?? 1;
  const previous = cursorTrail.previous(search);
  return (
    <>
      <PageHeader
        title={t("supportCases.title")}
        subtitle={t("supportCases.subtitle")}
        extra={<ProposeSupportCaseButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          {select("stream", STREAMS, 260)}
          {select("kind", KINDS, 160)}
          {select("status", STATUSES, 170)}
          <Form.Item label={t("households.commune")}>
            <CommuneSelect
              label={t("households.commune")}
              value={search.commune_code}
              onChange={(commune_code) => applyFilters({ commune_code })}
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
      <Table<SupportCaseRow>
        rowKey="id"
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        locale={{ emptyText: t("paging.empty") }}
        scroll={{ x: 1000 }}
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
