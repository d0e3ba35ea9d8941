import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Descriptions, Input, InputNumber, Skeleton, Space, Table, Tag } from "antd";
import { useRef, useState } from "react";
import { type FieldValues, type Path, type UseFormReturn, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import { useApi } from "@/app/services";
import { FormDialog } from "@/components/FormDialog";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { SubListPager } from "@/components/SubListPager";
import { useServerErrors } from "@/features/creates/dialogs";
import { idempotencyKey } from "@/features/finance/queries";
import { Money } from "@/features/finance/ui";
import { formatDate } from "@/lib/format";
import { FormField } from "@/lib/forms";
import {
  contractQuery,
  entrustmentsKey,
  type Report,
  reportsQuery,
  type Transfer,
  transfersQuery,
} from "./queries";
import {
  emptyReport,
  emptyTransfer,
  REPORT_FIELDS,
  type ReportValues,
  reportBody,
  reportSchema,
  TRANSFER_FIELDS,
  type TransferValues,
  transferBody,
  transferSchema,
} from "./schema";
import { entrustmentsScreen } from "./screen";
import type { EntrustmentSearch } from "./search";

const route = getRouteApi("/vbsp-entrustments/$contractId");

export function EntrustmentPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { contractId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: EntrustmentSearch) => navigate({ search: next, replace: false });
  const query = useQuery(contractQuery(api, contractId));
  const transfers = useQuery(transfersQuery(api, contractId, search.transfers_cursor));
  const reports = useQuery(reportsQuery(api, contractId, search.reports_cursor));
  const canWrite = useCanWrite(entrustmentsScreen);
  const back = (
    <Link to="/vbsp-entrustments">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError)
    return (
      <>
        <PageHeader title={t("creates.entrustments.title")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  if (!query.data) return <Skeleton active />;
  const { contract: c, summary: s } = query.data;
  return (
    <>
      <PageHeader
        title={`${t("creates.entrustments.contract")} ${c.contract_number}`}
        subtitle={c.bank_branch}
        extra={back}
      />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="entrustment-summary">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t("creates.entrustments.amount")}>
            <Money value={s.entrusted_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.transferred")}>
            <Money value={s.transferred_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.notYetTransferred")}>
            <Money value={s.not_yet_transferred_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.lent")}>
            <Money value={s.lent_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.outstanding")}>
            <Money value={s.outstanding_vnd} />{" "}
            {s.outstanding_above_transferred ? (
              <Tag color="red">{t("creates.entrustments.aboveTransferred")}</Tag>
            ) : null}
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.borrowers")}>
            {s.borrowers ?? "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.period")}>
            {`${formatDate(c.period_start)} – ${formatDate(c.period_end)}`}
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.entrustingParty")}>
            {c.entrusting_party}
          </Descriptions.Item>
          <Descriptions.Item label={t("creates.entrustments.legalBasis")}>{c.legal_basis}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={t("creates.entrustments.transfers")}
        style={{ marginBottom: 16 }}
        extra={canWrite ? <TransferButton contractId={c.id} /> : null}
      >
        <Table<Transfer>
          size="small"
          rowKey="id"
          pagination={false}
          data-testid="entrustment-transfers"
          loading={transfers.isFetching}
          dataSource={transfers.data?.items ?? []}
          locale={{ emptyText: t("paging.empty") }}
          columns={[
            { title: t("creates.commitments.fiscalYear"), dataIndex: "fiscal_year" },
            {
              title: t("creates.entrustments.transferredOn"),
              dataIndex: "transferred_on",
              render: (v: string) => formatDate(v),
            },
            { title: t("creates.commitments.decisionNumber"), dataIndex: "decision_number" },
            {
              title: t("creates.entrustments.amount"),
              dataIndex: "amount_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
          ]}
        />
        <ProblemAlert error={transfers.error} />
        <SubListPager
          search={search}
          prefix="transfers"
          scope={contractId}
          nextCursor={transfers.data?.next_cursor}
          loading={transfers.isFetching}
          go={go}
        />
      </Card>
      <Card
        size="small"
        title={t("creates.entrustments.reports")}
        extra={canWrite ? <ReportButton contractId={c.id} /> : null}
      >
        <Table<Report>
          size="small"
          rowKey="id"
          pagination={false}
          data-testid="entrustment-reports"
          loading={reports.isFetching}
          dataSource={reports.data?.items ?? []}
          locale={{ emptyText: t("paging.empty") }}
          columns={[
            {
              title: t("creates.entrustments.period"),
              key: "period",
              render: (_, r) => `${formatDate(r.period_start)} – ${formatDate(r.period_end)}`,
            },
            {
              title: t("creates.entrustments.lent"),
              dataIndex: "lent_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
            { title: t("creates.entrustments.borrowers"), dataIndex: "borrowers", align: "right" },
            {
              title: t("creates.entrustments.outstanding"),
              dataIndex: "outstanding_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
            {
              title: t("creates.entrustments.repaid"),
              dataIndex: "repaid_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
            {
              title: t("creates.entrustments.returned"),
              dataIndex: "returned_vnd",
              align: "right",
              render: (v: number) => <Money value={v} />,
            },
          ]}
        />
        <ProblemAlert error={reports.error} />
        <SubListPager
          search={search}
          prefix="reports"
          scope={contractId}
          nextCursor={reports.data?.next_cursor}
          loading={reports.isFetching}
          go={go}
        />
      </Card>
    </>
  );
}

function Fields<V extends FieldValues>({
  form,
  dates,
  numbers,
  texts,
}: {
  form: UseFormReturn<V>;
  dates: [Path<V>, string][];
  numbers: [Path<V>, string][];
  texts: [Path<V>, string, boolean][];
}) {
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size={0}>
      {numbers.map(([name, label]) => (
        <FormField key={name} control={form.control} name={name} label={label} required>
          {(field) => <InputNumber {...field} min={0} style={{ width: "100%" }} />}
        </FormField>
      ))}
      {dates.map(([name, label]) => (
        <FormField key={name} control={form.control} name={name} label={label} required>
          {(field) => <Input {...field} type="date" />}
        </FormField>
      ))}
      {texts.map(([name, label, required]) => (
        <FormField key={name} control={form.control} name={name} label={label} required={required}>
          {(field) => <Input {...field} />}
        </FormField>
      ))}
    </Space>
  );
}

function TransferButton({ contractId }: { contractId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<TransferValues>({
    resolver: zodResolver(transferSchema),
    defaultValues: emptyTransfer(new Date().getFullYear()),
  });
  const errors = useServerErrors(form, TRANSFER_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: TransferValues) =>
      unwrap(
        api.funding.POST("/v1/vbsp-entrustments/{contract_id}/transfers", {
          params: { path: { contract_id: contractId } },
          body: transferBody(v),
        }),
      ),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: entrustmentsKey });
      void message.success(t("creates.entrustments.transferRecorded"));
    },
    onError: errors.onError,
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t("creates.entrustments.newTransfer")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.entrustments.newTransfer")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <Fields
          form={form}
          numbers={[
            ["fiscal_year", t("creates.commitments.fiscalYear")],
            ["amount_vnd", t("creates.entrustments.amount")],
          ]}
          dates={[
            ["decision_date", t("creates.commitments.decisionDate")],
            ["transferred_on", t("creates.entrustments.transferredOn")],
          ]}
          texts={[
            ["decision_number", t("creates.commitments.decisionNumber"), true],
            ["note", t("creates.entrustments.note"), false],
          ]}
        />
      </FormDialog>
    </>
  );
}

/** A utilisation report is sent with an Idempotency-Key kept for the dialog's life, so a retried
 * submit after a lost answer is not recorded twice. */
function ReportButton({ contractId }: { contractId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const key = useRef(idempotencyKey());
  const form = useForm<ReportValues>({ resolver: zodResolver(reportSchema), defaultValues: emptyReport() });
  const errors = useServerErrors(form, REPORT_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: ReportValues) =>
      unwrap(
        api.funding.POST("/v1/vbsp-entrustments/{contract_id}/utilisation-reports", {
          params: { path: { contract_id: contractId }, header: { "Idempotency-Key": key.current } },
          body: reportBody(v),
        }),
      ),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      key.current = idempotencyKey();
      form.reset();
      await queryClient.invalidateQueries({ queryKey: entrustmentsKey });
      void message.success(t("creates.entrustments.reportRecorded"));
    },
    onError: errors.onError,
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t("creates.entrustments.newReport")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.entrustments.newReport")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <Fields
          form={form}
          dates={[
            ["period_start", t("creates.entrustments.periodStart")],
            ["period_end", t("creates.entrustments.periodEnd")],
          ]}
          numbers={[
            ["lent_vnd", t("creates.entrustments.lent")],
            ["borrowers", t("creates.entrustments.borrowers")],
            ["outstanding_vnd", t("creates.entrustments.outstanding")],
            ["repaid_vnd", t("creates.entrustments.repaid")],
            ["returned_vnd", t("creates.entrustments.returned")],
          ]}
          texts={[["note", t("creates.entrustments.note"), false]]}
        />
      </FormDialog>
    </>
  );
}
