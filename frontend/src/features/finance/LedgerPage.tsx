import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { toProblem, unwrap } from "@/api/problem";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import {
  financeKey,
  fundingSourcesAllQuery,
  idempotencyKey,
  type LedgerAccount,
  ledgerQuery,
} from "./queries";
import { ledgerScreen } from "./screen";
import { ACCOUNT_KINDS, type LedgerSearch } from "./search";
import { EnumFilter, Money } from "./ui";

const route = getRouteApi("/ledger");

function ReceiptDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const sources = useQuery(fundingSourcesAllQuery(api));
  const [sourceId, setSourceId] = useState<string>();
  const [amount, setAmount] = useState<number | null>(null);
  const [on, setOn] = useState(new Date().toISOString().slice(0, 10));
  const [reference, setReference] = useState("");
  const [touched, setTouched] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const key = useMemo(() => idempotencyKey(), []);
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(
        api.funding.POST("/v1/ledger/receipts", {
          params: { header: { "Idempotency-Key": key } },
          body: {
            source_id: sourceId ?? "",
            amount_vnd: amount ?? 0,
            received_on: on,
            ...(reference ? { reference } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t("finance.ledger.receiptDone"));
      await queryClient.invalidateQueries({ queryKey: financeKey });
      onClose();
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  const fieldHelp = (name: string) =>
    problem ? toProblem(problem).errors.find((e) => e.field === name)?.message : undefined;
  return (
    <Modal
      open={open}
      title={t("finance.ledger.receipt")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      onOk={() => {
        setTouched(true);
        if (!sourceId || !amount || amount <= 0) return;
        setProblem(null);
        mutation.mutate();
      }}
      destroyOnHidden
    >
      <ProblemAlert error={problem && toProblem(problem).errors.length === 0 ? problem : null} />
      <Form layout="vertical">
        <Form.Item
          label={t("finance.source")}
          htmlFor="receipt-source"
          required
          validateStatus={touched && !sourceId ? "error" : undefined}
          help={touched && !sourceId ? t("finance.allocations.required") : fieldHelp("source_id")}
        >
          <Select
            id="receipt-source"
            value={sourceId}
            onChange={setSourceId}
            options={(sources.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item
          label={t("finance.allocations.amount")}
          htmlFor="receipt-amount"
          required
          validateStatus={
            (touched && (!amount || amount <= 0)) || fieldHelp("amount_vnd") ? "error" : undefined
          }
          help={
            touched && (!amount || amount <= 0) ? t("finance.allocations.positive") : fieldHelp("amount_vnd")
          }
        >
          <InputNumber
            id="receipt-amount"
            value={amount}
            onChange={setAmount}
            min={0}
            style={{ width: "100%" }}
          />
        </Form.Item>
        <Form.Item
          label={t("finance.ledger.receivedOn")}
          htmlFor="receipt-on"
          required
          help={fieldHelp("received_on")}
        >
          <Input id="receipt-on" type="date" value={on} onChange={(e) => setOn(e.target.value)} />
        </Form.Item>
        <Form.Item
          label={t("finance.allocations.reference")}
          htmlFor="receipt-ref"
          help={fieldHelp("reference")}
        >
          <Input id="receipt-ref" value={reference} onChange={(e) => setReference(e.target.value)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function LedgerPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canWrite = useCanWrite(ledgerScreen);
  const query = useQuery(ledgerQuery(api, search));
  const sources = useQuery(fundingSourcesAllQuery(api));
  const [receipt, setReceipt] = useState(false);
  const go = (next: LedgerSearch) => navigate({ search: next });
  const apply = (changes: Partial<LedgerSearch>) => go(cursorTrail.first({ ...search, ...changes }));
  const names = new Map((sources.data?.items ?? []).map((s) => [s.id, s.name]));
  const columns: ColumnsType<LedgerAccount> = [
    {
      title: t("finance.source"),
      dataIndex: "source_id",
      render: (v: string) => names.get(v) ?? v.slice(0, 8),
    },
    {
      title: t("finance.ledger.kind"),
      dataIndex: "kind",
      render: (v: LedgerAccount["kind"]) => t(`finance.ledger.kinds.${v}`),
    },
    {
      title: t("finance.ledger.debit"),
      dataIndex: "debit_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    {
      title: t("finance.ledger.credit"),
      dataIndex: "credit_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    {
      title: t("finance.ledger.balance"),
      dataIndex: "balance_vnd",
      align: "right",
      render: (v: number) => (
        <strong>
          <Money value={v} />
        </strong>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("finance.ledger.title")}
        subtitle={t("finance.ledger.subtitle")}
        extra={
          canWrite ? (
            <Button type="primary" onClick={() => setReceipt(true)}>
              {t("finance.ledger.receipt")}
            </Button>
          ) : null
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t("finance.source")}>
            <Select
              aria-label={t("finance.source")}
              style={{ width: 320 }}
              value={search.source_id ?? ""}
              onChange={(v: string) => apply({ source_id: v || undefined })}
              options={[
                { value: "", label: t("common.all") },
                ...(sources.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
          </Form.Item>
          <EnumFilter
            label={t("finance.ledger.kind")}
            value={search.kind}
            values={ACCOUNT_KINDS}
            labelOf={(v) => t(`finance.ledger.kinds.${v}`)}
            onChange={(kind) => apply({ kind })}
          />
          <Space>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
      </Card>
      <KeysetList<LedgerAccount, LedgerSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        testId="ledger-accounts"
      />
      <ReceiptDialog open={receipt} onClose={() => setReceipt(false)} />
    </>
  );
}
