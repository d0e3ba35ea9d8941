import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Alert, Button, Card, Descriptions, Progress, Skeleton, Space, Table } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { formatDateTime, formatNumber } from "@/lib/format";
import { ImportStatusTag } from "./ImportsPage";
import {
  downloadErrors,
  type ErrorRow,
  errorRowsQuery,
  importQuery,
  progressPercent,
  RUNNING,
} from "./queries";

const route = getRouteApi("/imports/$importId");

export function ImportPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { importId } = route.useParams();
  const query = useQuery(importQuery(api, importId));
  const row = query.data;
  const finished = row !== undefined && !RUNNING.includes(row.status);
  const errors = useQuery(errorRowsQuery(api, importId, finished && (row?.error_rows ?? 0) > 0));
  const [problem, setProblem] = useState<unknown>(null);
  const download = useMutation({
    mutationFn: (format: "csv" | "xlsx") => downloadErrors(api, importId, format),
    onMutate: () => setProblem(null),
    onError: (error) => setProblem(toProblem(error)),
  });
  const back = (
    <Link to="/imports">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("imports.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  }
  if (!row) return <Skeleton active />;
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <>
      <PageHeader title={t("imports.detailTitle")} subtitle={row.filename} extra={back} />
      <ProblemAlert error={problem} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Space>
            <ImportStatusTag status={row.status} />
            <span>
              {t("imports.rowsLine", { processed: n(row.processed_rows), total: n(row.total_rows) })}
            </span>
          </Space>
          <Progress
            percent={progressPercent(row)}
            status={
              row.status === "failed" || row.status === "rejected"
                ? "exception"
                : finished
                  ? "success"
                  : "active"
            }
            aria-label={t("imports.progress")}
            data-testid="import-progress"
          />
          {row.status === "rejected" ? <Alert type="warning" showIcon title={t("imports.rejected")} /> : null}
          {row.status === "failed" ? <Alert type="error" showIcon title={t("imports.failed")} /> : null}
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t("households.commune")}>{row.commune_code}</Descriptions.Item>
          <Descriptions.Item label={t("imports.kind")}>{t(`imports.kinds.${row.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t("imports.mode")}>{t(`imports.modes.${row.mode}`)}</Descriptions.Item>
          <Descriptions.Item label={t("imports.householdsCreated")}>
            {n(row.households_created)}
          </Descriptions.Item>
          <Descriptions.Item label={t("imports.householdsMatched")}>
            {n(row.households_matched)}
          </Descriptions.Item>
          <Descriptions.Item label={t("imports.personsCreated")}>{n(row.persons_created)}</Descriptions.Item>
          {row.kind === "review_results" ? (
            <Descriptions.Item label={t("imports.reviewRecords")}>
              {n(row.review_records_created + row.review_records_updated)}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t("imports.errorRows")}>{n(row.error_rows)}</Descriptions.Item>
          <Descriptions.Item label={t("imports.createdAt")}>
            {formatDateTime(row.created_at)}
          </Descriptions.Item>
          <Descriptions.Item label={t("imports.finishedAt")}>
            {formatDateTime(row.finished_at) || t("common.none")}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {finished && row.error_rows > 0 ? (
        <Card
          size="small"
          title={t("imports.errorsTitle", { count: row.error_rows })}
          extra={
            <Space>
              <Button
                size="small"
                loading={download.isPending && download.variables === "xlsx"}
                onClick={() => download.mutate("xlsx")}
              >
                {t("imports.errorsXlsx")}
              </Button>
              <Button
                size="small"
                loading={download.isPending && download.variables === "csv"}
                onClick={() => download.mutate("csv")}
              >
                {t("imports.errorsCsv")}
              </Button>
            </Space>
          }
        >
          {errors.isError ? (
            <ProblemAlert error={errors.error} onReload={() => void errors.refetch()} />
          ) : null}
          <Table<ErrorRow>
            size="small"
            rowKey={(r) => `${r.row}-${r.column}-${r.code}`}
            loading={errors.isFetching}
            dataSource={errors.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="import-errors"
            columns={[
              { title: t("imports.row"), dataIndex: "row", width: 80 },
              { title: t("imports.column"), dataIndex: "column", width: 180 },
              {
                title: t("imports.error"),
                dataIndex: "code",
                render: (code: string, r) =>
                  t(`imports.errorCodes.${code}` as "imports.errorCodes.required", {
                    defaultValue: r.reason || code,
                  }),
              },
              { title: t("imports.detail"), dataIndex: "reason" },
            ]}
          />
        </Card>
      ) : null}
    </>
  );
}
