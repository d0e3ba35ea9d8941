import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Tabs, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { FormDialog } from "@/components/FormDialog";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { useCanWrite } from "@/components/RequireScreen";
import { useServerErrors } from "@/features/creates/dialogs";
import { fundingSourcesAllQuery, provinceOf } from "@/features/finance/queries";
import { EnumFilter, Money } from "@/features/finance/ui";
import { formatDate } from "@/lib/format";
import { FormField } from "@/lib/forms";
import {
  type Commitment,
  type Contributor,
  commitmentsKey,
  commitmentsQuery,
  contributorsQuery,
} from "./queries";
import {
  COMMITMENT_FIELDS,
  CONTRIBUTOR_FIELDS,
  type CommitmentValues,
  type ContributorValues,
  commitmentBody,
  commitmentSchema,
  contributorBody,
  contributorSchema,
  emptyCommitment,
  emptyContributor,
} from "./schema";
import { commitmentsScreen } from "./screen";
import { COMMITMENT_KINDS, CONTRIBUTOR_KINDS, type CommitmentsSearch } from "./search";

const route = getRouteApi("/funding-commitments");

export function CommitmentsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: CommitmentsSearch) => navigate({ search: next });
  const canWrite = useCanWrite(commitmentsScreen);
  const tab = search.tab ?? "commitments";
  const sources = useQuery(fundingSourcesAllQuery(api));
  const everyContributor = useQuery(contributorsQuery(api, {}, 100));
  const sourceName = new Map((sources.data?.items ?? []).map((s) => [s.id, s.name]));
  const contributorName = new Map((everyContributor.data?.items ?? []).map((c) => [c.id, c.name]));
  const commitments = useQuery({ ...commitmentsQuery(api, search), enabled: tab === "commitments" });
  const contributors = useQuery({ ...contributorsQuery(api, search), enabled: tab === "contributors" });

  const commitmentColumns: ColumnsType<Commitment> = [
    { title: t("creates.commitments.fiscalYear"), dataIndex: "fiscal_year", width: 90 },
    {
      title: t("creates.commitments.kind"),
      dataIndex: "kind",
      width: 120,
      render: (k: Commitment["kind"]) => (
        <Tag color={k === "pledge" ? "purple" : "blue"}>{t(`creates.commitments.kinds.${k}`)}</Tag>
      ),
    },
    {
      title: t("creates.commitments.source"),
      dataIndex: "source_id",
      render: (id: string) => sourceName.get(id) ?? id,
    },
    {
      title: t("creates.commitments.contributor"),
      dataIndex: "contributor_id",
      render: (id: string | null) => (id ? (contributorName.get(id) ?? id) : t("common.none")),
    },
    {
      title: t("creates.commitments.amount"),
      dataIndex: "amount_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    {
      title: t("creates.commitments.decision"),
      key: "decision",
      render: (_, row) =>
        `${row.decision_number} (${formatDate(row.decision_date)}) — ${row.decision_issuer}`,
    },
  ];
  const contributorColumns: ColumnsType<Contributor> = [
    { title: t("creates.commitments.name"), dataIndex: "name" },
    {
      title: t("creates.commitments.contributorKind"),
      dataIndex: "kind",
      render: (k: Contributor["kind"]) => t(`creates.commitments.contributorKinds.${k}`),
    },
    {
      title: t("creates.commitments.taxCode"),
      dataIndex: "tax_code",
      render: (v: string | null) => v ?? "—",
    },
    {
      title: t("creates.commitments.country"),
      dataIndex: "country_code",
      render: (v: string | null) => v ?? "—",
    },
  ];

  return (
    <>
      <PageHeader
        title={t("creates.commitments.title")}
        subtitle={t("creates.commitments.subtitle")}
        extra={
          canWrite ? (
            <Space wrap>
              <NewContributorButton />
              <NewCommitmentButton
                sources={sources.data?.items ?? []}
                contributors={everyContributor.data?.items ?? []}
              />
            </Space>
          ) : null
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => go({ tab: key as CommitmentsSearch["tab"] })}
        items={[
          {
            key: "commitments",
            label: t("creates.commitments.tabCommitments"),
            children: (
              <>
                <Card size="small" style={{ marginBottom: 16 }}>
                  <Form layout="inline">
                    <EnumFilter
                      label={t("creates.commitments.kind")}
                      value={search.kind}
                      values={COMMITMENT_KINDS}
                      labelOf={(v) => t(`creates.commitments.kinds.${v}`)}
                      onChange={(kind) => go(cursorTrail.first({ ...search, kind }))}
                    />
                    <Form.Item label={t("creates.commitments.fiscalYear")} htmlFor="commitment-year">
                      <InputNumber
                        id="commitment-year"
                        min={2000}
                        max={2100}
                        value={search.fiscal_year ?? null}
                        onChange={(y) => go(cursorTrail.first({ ...search, fiscal_year: y ?? undefined }))}
                      />
                    </Form.Item>
                  </Form>
                </Card>
                <KeysetList
                  query={commitments}
                  search={search}
                  go={go}
                  columns={commitmentColumns}
                  rowKey="id"
                  testId="commitments"
                />
              </>
            ),
          },
          {
            key: "contributors",
            label: t("creates.commitments.tabContributors"),
            children: (
              <KeysetList
                query={contributors}
                search={search}
                go={go}
                columns={contributorColumns}
                rowKey="id"
                testId="contributors"
              />
            ),
          },
        ]}
      />
    </>
  );
}

function NewContributorButton() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<ContributorValues>({
    resolver: zodResolver(contributorSchema),
    defaultValues: emptyContributor(provinceOf(user.areaCodes)),
  });
  const errors = useServerErrors(form, CONTRIBUTOR_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: ContributorValues) =>
      unwrap(api.funding.POST("/v1/funding-contributors", { body: contributorBody(v) })),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: commitmentsKey });
      void message.success(t("common.created"));
    },
    onError: errors.onError,
  });
  const text = (name: "name" | "tax_code" | "country_code" | "note", label: string, required = false) => (
    <FormField control={form.control} name={name} label={label} required={required}>
      {(field) => <Input {...field} />}
    </FormField>
  );
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("creates.commitments.newContributor")}</Button>
      <FormDialog
        open={open}
        title={t("creates.commitments.newContributor")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField
          control={form.control}
          name="kind"
          label={t("creates.commitments.contributorKind")}
          required
        >
          {(field) => (
            <Select
              {...field}
              options={CONTRIBUTOR_KINDS.map((k) => ({
                value: k,
                label: t(`creates.commitments.contributorKinds.${k}`),
              }))}
            />
          )}
        </FormField>
        {text("name", t("creates.commitments.name"), true)}
        {text("tax_code", t("creates.commitments.taxCode"))}
        {text("country_code", t("creates.commitments.country"))}
        {text("note", t("creates.commitments.note"))}
      </FormDialog>
    </>
  );
}

function NewCommitmentButton({
  sources,
  contributors,
}: {
  sources: { id: string; name: string }[];
  contributors: Contributor[];
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<CommitmentValues>({
    resolver: zodResolver(commitmentSchema),
    defaultValues: emptyCommitment(new Date().getFullYear()),
  });
  const kind = useWatch({ control: form.control, name: "kind" });
  const errors = useServerErrors(form, COMMITMENT_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: CommitmentValues) =>
      unwrap(api.funding.POST("/v1/funding-commitments", { body: commitmentBody(v) })),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: commitmentsKey });
      void message.success(t("common.created"));
    },
    onError: errors.onError,
  });
  const text = (name: "decision_number" | "decision_issuer" | "note", label: string, required = false) => (
    <FormField control={form.control} name={name} label={label} required={required}>
      {(field) => <Input {...field} />}
    </FormField>
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.commitments.newCommitment")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.commitments.newCommitment")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField control={form.control} name="source_id" label={t("creates.commitments.source")} required>
          {(field) => <Select {...field} options={sources.map((s) => ({ value: s.id, label: s.name }))} />}
        </FormField>
        <FormField control={form.control} name="kind" label={t("creates.commitments.kind")} required>
          {(field) => (
            <Select
              {...field}
              options={COMMITMENT_KINDS.map((k) => ({
                value: k,
                label: t(`creates.commitments.kinds.${k}`),
              }))}
            />
          )}
        </FormField>
        {kind === "pledge" ? (
          <FormField
            control={form.control}
            name="contributor_id"
            label={t("creates.commitments.contributor")}
            required
          >
            {(field) => (
              <Select {...field} options={contributors.map((c) => ({ value: c.id, label: c.name }))} />
            )}
          </FormField>
        ) : null}
        <FormField
          control={form.control}
          name="fiscal_year"
          label={t("creates.commitments.fiscalYear")}
          required
        >
          {(field) => <InputNumber {...field} min={2000} max={2100} style={{ width: "100%" }} />}
        </FormField>
        <FormField control={form.control} name="amount_vnd" label={t("creates.commitments.amount")} required>
          {(field) => <InputNumber {...field} min={0} step={1_000_000} style={{ width: "100%" }} />}
        </FormField>
        {text("decision_number", t("creates.commitments.decisionNumber"), true)}
        <FormField
          control={form.control}
          name="decision_date"
          label={t("creates.commitments.decisionDate")}
          required
        >
          {(field) => <Input {...field} type="date" />}
        </FormField>
        {text("decision_issuer", t("creates.commitments.decisionIssuer"), true)}
        {text("note", t("creates.commitments.note"))}
      </FormDialog>
    </>
  );
}
