import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Descriptions, Skeleton, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem, unwrap } from "@/api/problem";
import { useApi } from "@/app/services";
import { ActionDialog } from "@/components/ActionDialog";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { AddEvidenceButton } from "@/features/creates/evidence";
import { formatDate, formatNumber } from "@/lib/format";
import { ApplicationStatusTag } from "./ApplicationsPage";
import {
  APPLICATION_ACTIONS,
  type ApplicationAction,
  applicationQuery,
  applicationsKey,
  type Evidence,
  runApplicationAction,
  type TraceEntry,
} from "./queries";
import { applicationsScreen } from "./screen";

const route = getRouteApi("/applications/$applicationId");
const OUTCOME_COLORS: Record<string, string> = {
  pass: "success",
  fail: "error",
  unknown: "warning",
  not_applicable: "default",
};

/** The eligibility trace: every rule with its outcome, the evidence it used and its legal basis. */
export function TraceTable({
  trace,
  evidence,
}: {
  trace: readonly TraceEntry[];
  evidence: readonly Evidence[];
}) {
  const { t } = useTranslation();
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const columns: ColumnsType<TraceEntry> = [
    {
      title: t("applications.rule"),
      dataIndex: "rule_code",
      width: 260,
      render: (v: string) => (
        <span title={v} data-rule={v}>
          {t(`trace.rules.${v}` as "trace.rules.GROUP_TENURE_HL2023", { defaultValue: v })}
        </span>
      ),
    },
    {
      title: t("applications.outcome"),
      dataIndex: "outcome",
      width: 130,
      render: (v: string) => (
        <Tag color={OUTCOME_COLORS[v] ?? "default"} data-testid={`outcome-${v}`}>
          {t(`applications.outcomes.${v}` as "applications.outcomes.pass", { defaultValue: v })}
        </Tag>
      ),
    },
    {
      title: t("applications.reason"),
      dataIndex: "reason",
      render: (v: string) => (
        <span title={v} data-reason={v}>
          {t(`trace.reasons.${v}` as "trace.reasons.not_applicable", { defaultValue: v })}
        </span>
      ),
    },
    {
      title: t("applications.evidence"),
      dataIndex: "evidence_ids",
      render: (ids: string[]) =>
        ids.length
          ? ids.map((id) => {
              const e = byId.get(id);
              return (
                <div key={id}>
                  {e
                    ? t("applications.evidenceLine", {
                        form: e.form,
                        issuer: e.issuer,
                        on: formatDate(e.issued_on),
                      })
                    : id.slice(0, 8)}
                </div>
              );
            })
          : t("common.none"),
    },
    { title: t("applications.legalBasis"), dataIndex: "legal_basis" },
  ];
  return (
    <Table<TraceEntry>
      size="small"
      rowKey="rule_code"
      columns={columns}
      dataSource={[...trace]}
      pagination={false}
      locale={{ emptyText: t("applications.noTrace") }}
      scroll={{ x: 900 }}
      data-testid="eligibility-trace"
    />
  );
}

export function ApplicationDetailPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { applicationId } = route.useParams();
  const query = useQuery(applicationQuery(api, applicationId));
  const canWrite = useCanWrite(applicationsScreen);
  const [pending, setPending] = useState<ApplicationAction | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const preview = useMutation({
    mutationFn: () =>
      unwrap(
        api.registry.GET("/v1/applications/{application_id}/eligibility", {
          params: { path: { application_id: applicationId } },
        }),
      ),
    onError: (error) => setProblem(toProblem(error)),
  });
  const mutation = useMutation({
    mutationFn: ({ action, etag, reason }: { action: ApplicationAction; etag: string; reason: string }) =>
      runApplicationAction(api, applicationId, action, etag, reason),
    onMutate: () => setProblem(null),
    onSuccess: async (_r, { action }) => {
      setPending(null);
      void message.success(t(`applications.done.${action}`));
      await queryClient.invalidateQueries({ queryKey: applicationsKey });
    },
    onError: (error) => {
      setPending(null);
      setProblem(toProblem(error));
    },
  });
  const back = (
    <Link to="/applications">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("applications.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  }
  if (!query.data) return <Skeleton active />;
  const a = query.data.data;
  const etag = query.data.etag ?? `W/"${a.version}"`;
  const actions = canWrite ? APPLICATION_ACTIONS[a.status] : [];
  const stale = problem !== null && [409, 412, 428].includes(toProblem(problem).status);
  const evidenceColumns: ColumnsType<Evidence> = [
    { title: t("applications.form"), dataIndex: "form", width: 120 },
    { title: t("applications.issuer"), dataIndex: "issuer" },
    { title: t("applications.issuedOn"), dataIndex: "issued_on", render: (v: string) => formatDate(v) },
    {
      title: t("applications.documentNumber"),
      dataIndex: "document_number",
      render: (v: string | null) => v ?? t("common.none"),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("applications.detailTitle")}
        subtitle={t(`applications.tenures.${a.tenure}`)}
        extra={back}
      />
      <ProblemAlert
        error={problem}
        onReload={
          stale
            ? () => {
                setProblem(null);
                void query.refetch();
              }
            : undefined
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t("applications.status")}>
            <ApplicationStatusTag status={a.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("applications.project")}>
            <Link to="/housing-projects/$projectId" params={{ projectId: a.project_id }}>
              {t("applications.openProject")}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("applications.maritalStatus")}>
            {t(`applications.maritalStatuses.${a.marital_status}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("applications.income")}>
            {a.monthly_income_vnd === null
              ? t("common.none")
              : `${formatNumber(a.monthly_income_vnd, i18n.language)} ₫`}
          </Descriptions.Item>
          <Descriptions.Item label={t("applications.members")}>
            {a.member_person_ids.length + 1}
          </Descriptions.Item>
          <Descriptions.Item label={t("households.commune")}>{a.commune_code}</Descriptions.Item>
          <Descriptions.Item label={t("applications.submittedOn")}>
            {formatDate(a.submitted_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("applications.assessedOn")}>
            {formatDate(a.assessed_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("applications.allocatedOn")}>
            {formatDate(a.allocated_on) || t("common.none")}
          </Descriptions.Item>
          {a.withdrawn_on ? (
            <Descriptions.Item label={t("applications.withdrawnOn")}>
              {formatDate(a.withdrawn_on)} — {a.withdrawal_reason}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {actions.length ? (
          <Space style={{ marginTop: 12 }} wrap>
            {actions.map((action) => (
              <Button
                key={action}
                type={action === "withdraw" ? "default" : "primary"}
                danger={action === "withdraw"}
                onClick={() => {
                  setProblem(null);
                  setPending(action);
                }}
              >
                {t(`applications.actions.${action}`)}
              </Button>
            ))}
          </Space>
        ) : null}
      </Card>
      <Card
        size="small"
        title={t("applications.trace")}
        style={{ marginBottom: 16 }}
        extra={
          a.eligibility_trace ? null : (
            <Button size="small" loading={preview.isPending} onClick={() => preview.mutate()}>
              {t("applications.previewTrace")}
            </Button>
          )
        }
      >
        {a.eligibility_trace ? (
          <TraceTable trace={a.eligibility_trace} evidence={a.evidence} />
        ) : preview.data ? (
          <>
            <Typography.Paragraph type="secondary">
              {t("applications.previewOf", {
                on: formatDate(preview.data.as_of),
                verdict: preview.data.verdict,
              })}
            </Typography.Paragraph>
            <TraceTable trace={preview.data.trace} evidence={a.evidence} />
          </>
        ) : (
          <Typography.Text type="secondary">{t("applications.noTrace")}</Typography.Text>
        )}
      </Card>
      <Card
        size="small"
        title={t("applications.evidence")}
        extra={<AddEvidenceButton application={a} canWrite={canWrite} />}
      >
        <Table<Evidence>
          size="small"
          rowKey="id"
          columns={evidenceColumns}
          dataSource={a.evidence}
          pagination={false}
          locale={{ emptyText: t("paging.empty") }}
        />
      </Card>
      <ActionDialog
        open={pending !== null}
        title={pending ? t(`applications.actions.${pending}`) : ""}
        text={pending ? t(`applications.confirm.${pending}`) : ""}
        danger={pending === "withdraw"}
        needsReason={pending === "withdraw"}
        loading={mutation.isPending}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => pending && mutation.mutate({ action: pending, etag, reason })}
      />
    </>
  );
}
