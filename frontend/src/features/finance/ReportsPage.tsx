import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Button, Card, Col, Form, InputNumber, Row, Space, Statistic, Table } from "antd";
import { useTranslation } from "react-i18next";
import { useApi, useUser } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { fetchBlob, fileName, saveBlob } from "@/lib/download";
import { formatNumber } from "@/lib/format";
import { type CapitalReport, capitalReportQuery, present, provinceOf, vbspIndicatorsQuery } from "./queries";
import { Money } from "./ui";

const route = getRouteApi("/finance-reports");
type Row_ = CapitalReport["rows"][number];

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const province = provinceOf(user.areaCodes);
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const capital = useQuery(capitalReportQuery(api, search));
  const vbsp = useQuery(vbspIndicatorsQuery(api, province, search.fiscal_year));
  const download = useMutation({
    mutationFn: async (format: "csv" | "xlsx") => {
      const params = { query: present({ fiscal_year: search.fiscal_year }) };
      const { blob, response } = await fetchBlob(
        format === "csv"
          ? api.funding.GET("/v1/reports/capital-mobilisation.csv", { params, parseAs: "blob" })
          : api.funding.GET("/v1/reports/capital-mobilisation.xlsx", { params, parseAs: "blob" }),
      );
      saveBlob(blob, fileName(response, `capital-mobilisation.${format}`));
    },
  });
  const vbspDownload = useMutation({
    mutationFn: async (format: "csv" | "xlsx") => {
      const { blob, response } = await fetchBlob(
        api.funding.GET("/v1/reports/vbsp-loan-indicators", {
          params: { query: { province_code: province, format, ...present({ year: search.fiscal_year }) } },
          parseAs: "blob",
        }),
      );
      saveBlob(blob, fileName(response, `vbsp-loan-indicators.${format}`));
    },
  });
  const money = (v: number) => <Money value={v} />;
  const pct = (v: number | null) => (v === null ? t("common.none") : `${formatNumber(v, i18n.language)} %`);
  const v = vbsp.data;
  return (
    <>
      <PageHeader title={t("finance.reports.title")} subtitle={t("finance.reports.subtitle")} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("finance.reports.fiscalYear")} htmlFor="fiscal-year">
            <InputNumber
              id="fiscal-year"
              min={2000}
              max={2100}
              value={search.fiscal_year ?? null}
              onChange={(value) => navigate({ search: { fiscal_year: value ?? undefined } })}
            />
          </Form.Item>
        </Form>
      </Card>
      <Card
        size="small"
        title={t("finance.reports.capital")}
        style={{ marginBottom: 16 }}
        extra={
          <Space>
            <Button
              onClick={() => download.mutate("xlsx")}
              loading={download.isPending && download.variables === "xlsx"}
            >
              {t("finance.reports.downloadXlsx")}
            </Button>
            <Button
              onClick={() => download.mutate("csv")}
              loading={download.isPending && download.variables === "csv"}
            >
              {t("finance.reports.downloadCsv")}
            </Button>
          </Space>
        }
      >
        <ProblemAlert error={capital.error ?? download.error} />
        <Table<Row_>
          size="small"
          rowKey={(r) => `${r.source_id}-${r.fiscal_year}`}
          pagination={false}
          loading={capital.isFetching}
          dataSource={capital.data?.rows ?? []}
          scroll={{ x: 1100 }}
          data-testid="capital-report"
          columns={[
            { title: t("finance.reports.fiscalYear"), dataIndex: "fiscal_year", width: 80 },
            { title: t("finance.source"), dataIndex: "source_name" },
            { title: t("finance.reports.pledged"), dataIndex: "pledged_vnd", align: "right", render: money },
            { title: t("finance.reports.planned"), dataIndex: "planned_vnd", align: "right", render: money },
            {
              title: t("finance.reports.received"),
              dataIndex: "received_vnd",
              align: "right",
              render: money,
            },
            {
              title: t("finance.reports.allocated"),
              dataIndex: "allocated_vnd",
              align: "right",
              render: money,
            },
            {
              title: t("finance.reports.disbursed"),
              dataIndex: "disbursed_vnd",
              align: "right",
              render: money,
            },
          ]}
          summary={() =>
            (capital.data?.totals ?? []).map((total) => (
              <Table.Summary.Row key={total.fiscal_year}>
                <Table.Summary.Cell index={0} colSpan={3}>
                  <strong>{t("finance.reports.total", { year: total.fiscal_year })}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {money(total.planned_vnd)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {money(total.received_vnd)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  {money(total.allocated_vnd)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">
                  {money(total.disbursed_vnd)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ))
          }
        />
      </Card>
      <Card
        size="small"
        title={t("finance.reports.vbsp")}
        data-testid="vbsp-indicators"
        extra={
          <Space>
            <Button
              onClick={() => vbspDownload.mutate("xlsx")}
              loading={vbspDownload.isPending && vbspDownload.variables === "xlsx"}
            >
              {t("finance.reports.downloadXlsx")}
            </Button>
            <Button
              onClick={() => vbspDownload.mutate("csv")}
              loading={vbspDownload.isPending && vbspDownload.variables === "csv"}
            >
              {t("finance.reports.downloadCsv")}
            </Button>
          </Space>
        }
      >
        <ProblemAlert error={vbsp.error ?? vbspDownload.error} />
        {v ? (
          <Row gutter={[16, 16]}>
            <Col span={6}>
              <Statistic
                title={t("finance.reports.outstanding")}
                value={v.outstanding_vnd}
                formatter={(x) => money(Number(x))}
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t("finance.reports.loansOutstanding")}
                value={formatNumber(v.loans_outstanding, i18n.language)}
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t("finance.reports.borrowers")}
                value={formatNumber(v.borrowers, i18n.language)}
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t("finance.reports.disbursedInYear")}
                value={v.disbursed_in_year_vnd}
                formatter={(x) => money(Number(x))}
              />
            </Col>
            <Col span={6}>
              <Statistic title={t("finance.reports.againstPlan")} value={pct(v.disbursed_against_plan_pct)} />
            </Col>
            <Col span={6}>
              <Statistic title={t("finance.reports.overdueRatio")} value={pct(v.overdue_ratio_pct)} />
            </Col>
            <Col span={6}>
              <Statistic title={t("finance.reports.eligibilityPending")} value={v.eligibility_pending} />
            </Col>
            <Col span={6}>
              <Statistic title={t("finance.reports.openExceptions")} value={v.open_exceptions} />
            </Col>
          </Row>
        ) : null}
      </Card>
    </>
  );
}
