import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { App, Button, Input, InputNumber } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { FormDialog } from "@/components/FormDialog";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { useCanWrite } from "@/components/RequireScreen";
import { useServerErrors } from "@/features/creates/dialogs";
import { provinceOf } from "@/features/finance/queries";
import { Money } from "@/features/finance/ui";
import { formatDate } from "@/lib/format";
import { FormField } from "@/lib/forms";
import { type Contract, contractsQuery, entrustmentsKey } from "./queries";
import { CONTRACT_FIELDS, type ContractValues, contractBody, contractSchema, emptyContract } from "./schema";
import { entrustmentsScreen } from "./screen";
import type { EntrustmentsSearch } from "./search";

const route = getRouteApi("/vbsp-entrustments/");

export function EntrustmentsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: EntrustmentsSearch) => navigate({ search: next });
  const query = useQuery(contractsQuery(api, search));
  const canWrite = useCanWrite(entrustmentsScreen);
  const columns: ColumnsType<Contract> = [
    {
      title: t("creates.entrustments.number"),
      dataIndex: "contract_number",
      render: (v: string, row) => (
        <Link to="/vbsp-entrustments/$contractId" params={{ contractId: row.id }}>
          {v}
        </Link>
      ),
    },
    {
      title: t("creates.entrustments.signedOn"),
      dataIndex: "signed_on",
      render: (v: string) => formatDate(v),
    },
    { title: t("creates.entrustments.bankBranch"), dataIndex: "bank_branch" },
    {
      title: t("creates.entrustments.period"),
      key: "period",
      render: (_, r) => `${formatDate(r.period_start)} – ${formatDate(r.period_end)}`,
    },
    {
      title: t("creates.entrustments.amount"),
      dataIndex: "amount_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
  ];
  return (
    <>
      <PageHeader
        title={t("creates.entrustments.title")}
        subtitle={t("creates.entrustments.subtitle")}
        extra={canWrite ? <NewContractButton /> : null}
      />
      <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" testId="entrustments" />
    </>
  );
}

function NewContractButton() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<ContractValues>({
    resolver: zodResolver(contractSchema),
    defaultValues: emptyContract(provinceOf(user.areaCodes)),
  });
  const errors = useServerErrors(form, CONTRACT_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: ContractValues) =>
      unwrap(api.funding.POST("/v1/vbsp-entrustments", { body: contractBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: entrustmentsKey });
      void message.success(t("common.created"));
      await navigate({ to: "/vbsp-entrustments/$contractId", params: { contractId: created.id } });
    },
    onError: errors.onError,
  });
  const text = (
    name: "contract_number" | "entrusting_party" | "bank_branch" | "legal_basis" | "note",
    label: string,
    required = true,
  ) => (
    <FormField control={form.control} name={name} label={label} required={required}>
      {(field) => <Input {...field} />}
    </FormField>
  );
  const date = (name: "signed_on" | "period_start" | "period_end", label: string) => (
    <FormField control={form.control} name={name} label={label} required>
      {(field) => <Input {...field} type="date" />}
    </FormField>
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.entrustments.newContract")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.entrustments.newContract")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        {text("contract_number", t("creates.entrustments.number"))}
        {date("signed_on", t("creates.entrustments.signedOn"))}
        {text("entrusting_party", t("creates.entrustments.entrustingParty"))}
        {text("bank_branch", t("creates.entrustments.bankBranch"))}
        <FormField control={form.control} name="amount_vnd" label={t("creates.entrustments.amount")} required>
          {(field) => <InputNumber {...field} min={0} step={1_000_000} style={{ width: "100%" }} />}
        </FormField>
        {date("period_start", t("creates.entrustments.periodStart"))}
        {date("period_end", t("creates.entrustments.periodEnd"))}
        {text("legal_basis", t("creates.entrustments.legalBasis"))}
        {text("note", t("creates.entrustments.note"), false)}
      </FormDialog>
    </>
  );
}
