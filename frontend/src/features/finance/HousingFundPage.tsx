import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Card, Col, Form, Row, Statistic, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi, useUser } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { RecordMovementButton, ReverseMovementButton, useFundWriter } from "@/features/creates/fund";
import { formatDate } from "@/lib/format";
import {
  type FundProjection,
  fundBalanceQuery,
  fundProjectionQuery,
  type Movement,
  movementsQuery,
  provinceOf,
} from "./queries";
import { DIRECTIONS, type FundSearch } from "./search";
import { EnumFilter, Money } from "./ui";

const route = getRouteApi("/housing-fund");
type Year = FundProjection["years"][number];

export function HousingFundPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const province = provinceOf(user.areaCodes);
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: FundSearch) => navigate({ search: next });
  const balance = useQuery(fundBalanceQuery(api, province));
  const projection = useQuery(fundProjectionQuery(api, province));
  const movements = useQuery(movementsQuery(api, province, search));
  const canWrite = useFundWriter();
  const columns: ColumnsType<Movement> = [
    {
      title: t("finance.fund.occurredOn"),
      dataIndex: "occurred_on",
      width: 110,
      render: (v: string) => formatDate(v),
    },
    {
      title: t("finance.fund.direction"),
      dataIndex: "direction",
      width: 80,
      render: (v: Movement["direction"]) => (
        <Tag color={v === "inflow" ? "green" : "volcano"}>{t(`finance.fund.directions.${v}`)}</Tag>
      ),
    },
    {
      title: t("finance.fund.category"),
      dataIndex: "category",
      render: (v: string, row) => (
        <>
          {t(`creates.fund.categories.${v}` as "creates.fund.categories.other_inflow", { defaultValue: v })}
          {row.reverses_id ? <Tag style={{ marginInlineStart: 8 }}>{t("creates.fund.reversed")}</Tag> : null}
        </>
      ),
    },
    {
      title: t("finance.allocations.amount"),
      dataIndex: "amount_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    { title: t("finance.fund.document"), dataIndex: "document_number" },
    { title: t("finance.allocations.description"), dataIndex: "description" },
    ...(canWrite
      ? [
          {
            title: t("common.actions"),
            key: "actions",
            width: 110,
            render: (_: unknown, row: Movement) =>
              row.reverses_id ? null : <ReverseMovementButton movementId={row.id} />,
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title={t("finance.fund.title")}
        subtitle={t("finance.fund.subtitle")}
        extra={<RecordMovementButton />}
      />
      <ProblemAlert error={balance.error} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        {(["balance", "inflow", "outflow"] as const).map((k) => (
          <Col span={8} key={k}>
            <Card size="small">
              <Statistic
                title={t(`finance.fund.${k}`)}
                loading={balance.isLoading}
                value={balance.data ? balance.data[`${k}_vnd`] : 0}
                formatter={(v) => <Money value={Number(v)} />}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t("finance.fund.projection")} style={{ marginBottom: 16 }}>
        <ProblemAlert error={projection.error} />
        <Table<Year>
          size="small"
          rowKey="year"
          pagination={false}
          loading={projection.isFetching}
          dataSource={projection.data?.years ?? []}
          data-testid="fund-projection"
          columns={[
            { title: t("finance.fund.year"), dataIndex: "year" },
            {
              title: t("finance.fund.expectedInflow"),
              dataIndex: "expected_inflow_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
            {
              title: t("finance.fund.expectedOutflow"),
              dataIndex: "expected_outflow_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
            {
              title: t("finance.fund.closing"),
              dataIndex: "projected_closing_balance_vnd",
              align: "right",
              render: (v: number, row) => (
                <>
                  <Money value={v} />{" "}
                  {row.shortfall ? <Tag color="red">{t("finance.fund.shortfall")}</Tag> : null}
                </>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("finance.fund.movements")}>
        <Form layout="inline" style={{ marginBottom: 8 }}>
          <EnumFilter
            label={t("finance.fund.direction")}
            value={search.direction}
            values={DIRECTIONS}
            labelOf={(v) => t(`finance.fund.directions.${v}`)}
            onChange={(direction) => go(cursorTrail.first({ ...search, direction }))}
          />
        </Form>
        <KeysetList<Movement, FundSearch>
          query={movements}
          search={search}
          go={go}
          columns={columns}
          rowKey="id"
          testId="fund-movements"
        />
      </Card>
    </>
  );
}
