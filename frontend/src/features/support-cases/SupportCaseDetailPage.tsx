import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Skeleton, Space, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import type { components } from "@/api/registry";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDate, formatNumber } from "@/lib/format";
import { StatusTag } from "./labels";
import { type Action, NEXT_ACTIONS, runAction, supportCaseQuery, supportCasesKey } from "./queries";
import { APPROVERS, supportCasesScreen } from "./screen";

const route = getRouteApi("/support-cases/$caseId");

type FundingLine = components["schemas"]["FundingLineRead"];

export const REASON_MIN = 3;
export const REASON_MAX = 1000;

export function SupportCaseDetailPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { caseId } = route.useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const canWrite = useCanWrite(supportCasesScreen);
  const options = supportCaseQuery(api, caseId);
  const query = useQuery(options);
  const [pending, setPending] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [reasonInvalid, setReasonInvalid] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const mutation = useMutation({
    mutationFn: ({ action, etag }: { action: Action; etag: string }) =>
      runAction(api, caseId, action, etag, action === "withdraw" ? reason.trim() : undefined),
    onMutate: () => setProblem(null),
    onSuccess: async (_result, { action }) => {
      setPending(null);
      setReason("");
      void message.success(t(`supportCases.done.${action}`));
      await queryClient.invalidateQueries({ queryKey: supportCasesKey });
    },
    onError: (error) => {
      setPending(null);
      setProblem(toProblem(error));
    },
  });

  const back = (
    <Link to="/support-cases">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("supportCases.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  }
  if (!query.data) return <Skeleton active />;
  const c = query.data.data;
  const etag = query.data.etag ?? `W/"${c.version}"`;
  const actions = canWrite
    ? NEXT_ACTIONS[c.status].filter((a) => a !== "approve" || hasRole(user, APPROVERS))
    : [];
  const confirm = () => {
    if (!pending) return;
    if (pending === "withdraw") {
      const length = reason.trim().length;
      if (length < REASON_MIN || length > REASON_MAX) {
        setReasonInvalid(true);
        return;
      }
    }
    setReasonInvalid(false);
    mutation.mutate({ action: pending, etag });
  };
  const stale = (() => {
    const p = problem ? toProblem(problem) : null;
    return p !== null && (p.status === 412 || p.status === 428 || p.status === 409);
  })();

  const fundingColumns: ColumnsType<FundingLine> = [
    { title: t("supportCases.fundingSource"), dataIndex: "source_kind" },
    {
      title: t("supportCases.amount"),
      dataIndex: "amount_vnd",
      align: "right",
      render: (value: number) => `${formatNumber(value, i18n.language)} ₫`,
    },
    { title: t("supportCases.fundingLineStatus"), dataIndex: "status" },
  ];

  return (
    <>
      <PageHeader
        title={t("supportCases.detailTitle")}
        subtitle={`${t(`supportCases.streams.${c.stream}`)} — ${t(`supportCases.kinds.${c.kind}`)}`}
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
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("supportCases.status")}>
            <StatusTag status={c.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("supportCases.amount")}>
            {formatNumber(c.amount_vnd, i18n.language)} ₫
          </Descriptions.Item>
          <Descriptions.Item label={t("supportCases.household")}>
            <Link to="/households/$householdId" params={{ householdId: c.household_id }}>
              {t("supportCases.openHousehold")}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("households.commune")}>{c.commune_code}</Descriptions.Item>
          <Descriptions.Item label={t("supportCases.proposedOn")}>
            {formatDate(c.proposed_on)}
          </Descriptions.Item>
          <Descriptions.Item label={t("supportCases.approvedOn")}>
            {formatDate(c.approved_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("supportCases.startedOn")}>
            {formatDate(c.started_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("supportCases.completedOn")}>
            {formatDate(c.completed_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("supportCases.acceptedOn")}>
            {formatDate(c.accepted_on) || t("common.none")}
          </Descriptions.Item>
          {c.withdrawn_on ? (
            <Descriptions.Item label={t("supportCases.withdrawnOn")}>
              {formatDate(c.withdrawn_on)} — {c.withdrawal_reason}
            </Descriptions.Item>
          ) : null}
          {c.note ? <Descriptions.Item label={t("supportCases.note")}>{c.note}</Descriptions.Item> : null}
        </Descriptions>
        {actions.length ? (
          <Space style={{ marginTop: 12 }} wrap>
            {actions.map((action) => (
              <Button
                key={action}
                type={action === "withdraw" ? "default" : "primary"}
                danger={action === "withdraw"}
                loading={mutation.isPending && mutation.variables?.action === action}
                onClick={() => {
                  setProblem(null);
                  setPending(action);
                }}
              >
                {t(`supportCases.actions.${action}`)}
              </Button>
            ))}
          </Space>
        ) : null}
      </Card>

      <Card size="small" title={t("supportCases.funding")}>
        {c.funding_status === "unavailable" ? (
          <Alert
            type="warning"
            showIcon
            title={t("supportCases.fundingUnavailable")}
            data-testid="funding-unavailable"
          />
        ) : (
          <Table<FundingLine>
            rowKey={(line) => `${line.source_kind}-${line.status}-${line.amount_vnd}`}
            columns={fundingColumns}
            dataSource={c.funding_lines}
            pagination={false}
            locale={{ emptyText: t("supportCases.noFundingLines") }}
          />
        )}
      </Card>

      <Modal
        open={pending !== null}
        title={pending ? t(`supportCases.actions.${pending}`) : ""}
        okText={pending ? t(`supportCases.actions.${pending}`) : ""}
        okButtonProps={{ danger: pending === "withdraw" }}
        cancelText={t("common.cancel")}
        onOk={confirm}
        onCancel={() => {
          setPending(null);
          setReasonInvalid(false);
        }}
        confirmLoading={mutation.isPending}
        destroyOnHidden
      >
        <p>{pending ? t(`supportCases.confirm.${pending}`) : ""}</p>
        {pending === "withdraw" ? (
          <Form layout="vertical">
            <Form.Item
              label={t("supportCases.reason")}
              required
              validateStatus={reasonInvalid ? "error" : undefined}
              help={
                reasonInvalid
                  ? t("supportCases.reasonInvalid", { min: REASON_MIN, max: REASON_MAX })
                  : undefined
              }
            >
              <Input.TextArea
                aria-label={t("supportCases.reason")}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={REASON_MAX}
                rows={3}
              />
            </Form.Item>
          </Form>
        ) : null}
      </Modal>
    </>
  );
}
