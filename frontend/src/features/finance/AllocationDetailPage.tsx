import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Skeleton, Space, Table, Tag } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem, unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { supportCasesScreen } from "@/features/support-cases/screen";
import { formatDate } from "@/lib/format";
import { LINE_COLORS } from "./AllocationsPage";
import { allocationQuery, type FundingLine, financeKey, fundingLinesQuery, idempotencyKey } from "./queries";
import { allocationsScreen } from "./screen";
import { Money } from "./ui";

const route = getRouteApi("/allocations/$allocationId");

function DisbursementForm({ allocationId, max }: { allocationId: string; max: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [amount, setAmount] = useState<number | null>(max);
  const [on, setOn] = useState(new Date().toISOString().slice(0, 10));
  const [reference, setReference] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const key = useMemo(() => idempotencyKey(), []);
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(
        api.funding.POST("/v1/allocations/{allocation_id}/disbursements", {
          params: { path: { allocation_id: allocationId }, header: { "Idempotency-Key": key } },
          body: { amount_vnd: amount ?? 0, disbursed_on: on, reference: reference.trim() },
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      void message.success(t("finance.allocations.disbursedDone"));
      await queryClient.invalidateQueries({ queryKey: financeKey });
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  const amountBad = touched && (!amount || amount <= 0);
  const refBad = touched && !reference.trim();
  const fieldError = (name: string) => {
    const p = problem ? toProblem(problem) : null;
    if (!p) return undefined;
    if (name === "amount_vnd" && p.code === "amount_exceeds_allocation")
      return t("problems.amount_exceeds_allocation");
    const e = p.errors.find((x) => x.field === name);
    return e ? e.message : undefined;
  };
  return (
    <Card size="small" title={t("finance.allocations.disburse")} style={{ marginBottom: 16 }}>
      <ProblemAlert
        error={problem && toProblem(problem).code !== "amount_exceeds_allocation" ? problem : null}
      />
      <Form
        layout="inline"
        style={{ rowGap: 8 }}
        onFinish={() => {
          setTouched(true);
          if (!amount || amount <= 0 || !reference.trim()) return;
          mutation.mutate();
        }}
      >
        <Form.Item
          label={t("finance.allocations.amount")}
          htmlFor="disburse-amount"
          required
          validateStatus={amountBad || fieldError("amount_vnd") ? "error" : undefined}
          help={amountBad ? t("finance.allocations.positive") : fieldError("amount_vnd")}
        >
          <InputNumber
            id="disburse-amount"
            value={amount}
            onChange={setAmount}
            min={0}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item
          label={t("finance.allocations.disbursedOn")}
          htmlFor="disburse-on"
          required
          validateStatus={fieldError("disbursed_on") ? "error" : undefined}
          help={fieldError("disbursed_on")}
        >
          <Input id="disburse-on" type="date" value={on} onChange={(e) => setOn(e.target.value)} />
        </Form.Item>
        <Form.Item
          label={t("finance.allocations.reference")}
          htmlFor="disburse-reference"
          required
          validateStatus={refBad || fieldError("reference") ? "error" : undefined}
          help={refBad ? t("finance.allocations.required") : fieldError("reference")}
        >
          <Input id="disburse-reference" value={reference} onChange={(e) => setReference(e.target.value)} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t("finance.allocations.disburse")}
        </Button>
      </Form>
    </Card>
  );
}

function CaseFundingLines({ supportCaseId }: { supportCaseId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const query = useQuery(fundingLinesQuery(api, supportCaseId));
  return (
    <Card size="small" title={t("finance.allocations.fundingLines")}>
      <ProblemAlert error={query.error} />
      <Table<FundingLine>
        size="small"
        rowKey="id"
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        data-testid="funding-lines"
        columns={[
          {
            title: t("finance.source"),
            dataIndex: "source_kind",
            render: (v: FundingLine["source_kind"]) => t(`finance.sourceKinds.${v}`),
          },
          {
            title: t("finance.allocations.amount"),
            dataIndex: "amount_vnd",
            align: "right",
            render: (v: number) => <Money value={v} />,
          },
          {
            title: t("finance.allocations.disbursed"),
            dataIndex: "disbursed_vnd",
            align: "right",
            render: (v: number) => <Money value={v} />,
          },
          {
            title: t("finance.allocations.status"),
            dataIndex: "status",
            render: (v: FundingLine["status"]) => (
              <Tag color={LINE_COLORS[v]}>{t(`finance.lineStatuses.${v}`)}</Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}

export function AllocationDetailPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { allocationId } = route.useParams();
  const canWrite = useCanWrite(allocationsScreen);
  const query = useQuery(allocationQuery(api, allocationId));
  const back = (
    <Link to="/allocations">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError)
    return (
      <>
        <PageHeader title={t("finance.allocations.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  if (!query.data) return <Skeleton active />;
  const a = query.data;
  return (
    <>
      <PageHeader title={`${t("finance.allocations.detailTitle")} ${a.decision_number}`} extra={back} />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="allocation">
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("finance.allocations.target")}>
            {t(`finance.targets.${a.target_kind}`)} {a.programme ?? ""}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.source")}>
            {t(`finance.sourceKinds.${a.source_kind}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.allocations.amount")}>
            <Money value={a.amount_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.allocations.status")}>
            <Tag color={LINE_COLORS[a.status]}>{t(`finance.lineStatuses.${a.status}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.allocations.disbursed")}>
            <Money value={a.disbursed_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.allocations.undisbursed")}>
            <Money value={a.undisbursed_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.allocations.decisionDate")}>
            {formatDate(a.decision_date)}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.allocations.commune")}>
            {a.commune_code ?? a.province_code}
          </Descriptions.Item>
          {a.support_case_id ? (
            <Descriptions.Item label={t("finance.allocations.supportCase")}>
              <Space>
                <code>{a.support_case_id}</code>
                {hasRole(user, supportCasesScreen.read) ? (
                  <Link to="/support-cases/$caseId" params={{ caseId: a.support_case_id }}>
                    {t("finance.allocations.openCase")}
                  </Link>
                ) : null}
              </Space>
            </Descriptions.Item>
          ) : null}
          {a.note ? (
            <Descriptions.Item label={t("finance.allocations.note")}>{a.note}</Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {canWrite && a.undisbursed_vnd > 0 && a.status !== "cancelled" ? (
        <DisbursementForm allocationId={a.id} max={a.undisbursed_vnd} />
      ) : null}
      {a.support_case_id ? <CaseFundingLines supportCaseId={a.support_case_id} /> : null}
    </>
  );
}
