import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { App, Button, Card, Form, Input, InputNumber, Select, Space } from "antd";
import { useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { toProblem, unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { supportCasesQuery } from "@/features/support-cases/queries";
import { supportCasesScreen } from "@/features/support-cases/screen";
import { formatNumber } from "@/lib/format";
import { applyServerErrors, FormField } from "@/lib/forms";
import { type AllocationCreate, financeKey, fundingSourcesAllQuery, idempotencyKey } from "./queries";
import { TARGETS } from "./search";

const route = getRouteApi("/allocations/new");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const schema = z
  .object({
    source_id: z.string().regex(UUID, "finance.allocations.required"),
    target_kind: z.enum(TARGETS),
    support_case_id: z.string().trim(),
    project_id: z.string().trim(),
    programme: z.string().trim().max(200),
    amount_vnd: z
      .number({ error: "finance.allocations.required" })
      .int()
      .positive("finance.allocations.positive"),
    decision_number: z.string().trim().min(1, "finance.allocations.required").max(50),
    decision_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "finance.allocations.required"),
    note: z.string().trim().max(2000),
  })
  .superRefine((v, ctx) => {
    if (v.target_kind === "support_case" && !UUID.test(v.support_case_id))
      ctx.addIssue({ code: "custom", path: ["support_case_id"], message: "finance.allocations.invalidId" });
    if (v.target_kind === "housing_project" && !UUID.test(v.project_id))
      ctx.addIssue({ code: "custom", path: ["project_id"], message: "finance.allocations.invalidId" });
    if (v.target_kind === "programme" && !v.programme)
      ctx.addIssue({ code: "custom", path: ["programme"], message: "finance.allocations.required" });
  });
type Values = z.infer<typeof schema>;
const FIELDS = [
  "source_id",
  "target_kind",
  "support_case_id",
  "project_id",
  "programme",
  "amount_vnd",
  "decision_number",
  "decision_date",
  "note",
] as const;

function body(v: Values): AllocationCreate {
  return {
    source_id: v.source_id,
    target_kind: v.target_kind,
    amount_vnd: v.amount_vnd,
    decision_number: v.decision_number,
    decision_date: v.decision_date,
    ...(v.target_kind === "support_case" ? { support_case_id: v.support_case_id } : {}),
    ...(v.target_kind === "housing_project" ? { project_id: v.project_id } : {}),
    ...(v.target_kind === "programme" ? { programme: v.programme } : {}),
    ...(v.note ? { note: v.note } : {}),
  };
}

/** Approved support cases from the registry, for roles that may read them. */
function SupportCasePicker({
  id,
  value,
  onChange,
  invalid,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const query = useQuery(supportCasesQuery(api, { status: "approved" }));
  return (
    <Select
      id={id}
      showSearch={{ optionFilterProp: "label" }}
      value={value || undefined}
      onChange={onChange}
      status={invalid ? "error" : undefined}
      loading={query.isFetching}
      placeholder={t("finance.allocations.pickCase")}
      options={(query.data?.items ?? []).map((c) => ({
        value: c.id,
        label: `${c.commune_code} — ${t(`supportCases.streams.${c.stream}`)} — ${formatNumber(c.amount_vnd, i18n.language)} ₫ — ${c.id.slice(0, 8)}`,
      }))}
    />
  );
}

export function AllocationCreatePage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const search = route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const sources = useQuery(fundingSourcesAllQuery(api));
  const canPickCase = hasRole(user, supportCasesScreen.read);
  const key = useMemo(() => idempotencyKey(), []);
  const [problem, setProblem] = useState<unknown>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      source_id: "",
      target_kind: "support_case",
      support_case_id: search.support_case_id ?? "",
      project_id: "",
      programme: "",
      decision_number: "",
      decision_date: new Date().toISOString().slice(0, 10),
      note: "",
    },
  });
  const target = useWatch({ control: form.control, name: "target_kind" });

  const mutation = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.funding.POST("/v1/allocations", {
          params: { header: { "Idempotency-Key": key } },
          body: body(v),
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: financeKey });
      void message.success(t("finance.allocations.created"));
      await navigate({ to: "/allocations/$allocationId", params: { allocationId: created.id } });
    },
    onError: (error) => {
      const p = toProblem(error);
      const fieldOf: Record<string, (typeof FIELDS)[number]> = {
        funding_target_unknown: target === "housing_project" ? "project_id" : "support_case_id",
        support_case_withdrawn: "support_case_id",
        amount_exceeds_available: "amount_vnd",
        funding_source_inactive: "source_id",
        funding_source_unknown: "source_id",
      };
      const field = fieldOf[p.code];
      if (field) {
        form.setError(field, { type: "server", message: `problems.${p.code}` }, { shouldFocus: true });
        return;
      }
      const rest = applyServerErrors(p, form, FIELDS, toI18n);
      if (rest.length || !p.errors.length) setProblem(p);
    },
  });
  const { i18n } = useTranslation();
  const toI18n = i18n;

  return (
    <>
      <PageHeader
        title={t("finance.allocations.createTitle")}
        extra={
          <Link to="/allocations">
            <Button>{t("common.back")}</Button>
          </Link>
        }
      />
      <ProblemAlert error={problem} />
      <Card size="small" style={{ maxWidth: 760 }}>
        <Form layout="vertical" onFinish={() => void form.handleSubmit((v) => mutation.mutate(v))()}>
          <FormField control={form.control} name="source_id" label={t("finance.source")} required>
            {(field, invalid) => (
              <Select
                id={field.id}
                value={field.value || undefined}
                onChange={field.onChange}
                onBlur={field.onBlur}
                status={invalid ? "error" : undefined}
                loading={sources.isFetching}
                options={(sources.data?.items ?? [])
                  .filter((s) => s.active)
                  .map((s) => ({ value: s.id, label: `${s.name} (${t(`finance.sourceKinds.${s.kind}`)})` }))}
              />
            )}
          </FormField>
          <FormField
            control={form.control}
            name="target_kind"
            label={t("finance.allocations.target")}
            required
          >
            {(field) => (
              <Select
                id={field.id}
                value={field.value}
                onChange={field.onChange}
                options={TARGETS.map((v) => ({ value: v, label: t(`finance.targets.${v}`) }))}
              />
            )}
          </FormField>
          {target === "support_case" ? (
            <FormField
              control={form.control}
              name="support_case_id"
              label={t("finance.allocations.supportCase")}
              required
              help={canPickCase ? undefined : t("finance.allocations.supportCaseIdHelp")}
            >
              {(field, invalid) =>
                canPickCase ? (
                  <SupportCasePicker
                    id={field.id}
                    value={field.value}
                    onChange={field.onChange}
                    invalid={invalid}
                  />
                ) : (
                  <Input {...field} status={invalid ? "error" : undefined} autoComplete="off" />
                )
              }
            </FormField>
          ) : null}
          {target === "housing_project" ? (
            <FormField
              control={form.control}
              name="project_id"
              label={t("finance.allocations.projectId")}
              required
            >
              {(field, invalid) => (
                <Input {...field} status={invalid ? "error" : undefined} autoComplete="off" />
              )}
            </FormField>
          ) : null}
          {target === "programme" ? (
            <FormField
              control={form.control}
              name="programme"
              label={t("finance.allocations.programme")}
              required
            >
              {(field, invalid) => <Input {...field} status={invalid ? "error" : undefined} />}
            </FormField>
          ) : null}
          <FormField
            control={form.control}
            name="amount_vnd"
            label={t("finance.allocations.amount")}
            required
          >
            {(field, invalid) => (
              <InputNumber
                id={field.id}
                value={field.value}
                onChange={(v) => field.onChange(v ?? undefined)}
                onBlur={field.onBlur}
                status={invalid ? "error" : undefined}
                min={0}
                step={1_000_000}
                style={{ width: 260 }}
              />
            )}
          </FormField>
          <Space size="large" wrap>
            <FormField
              control={form.control}
              name="decision_number"
              label={t("finance.allocations.decisionNumber")}
              required
            >
              {(field, invalid) => (
                <Input {...field} status={invalid ? "error" : undefined} style={{ width: 260 }} />
              )}
            </FormField>
            <FormField
              control={form.control}
              name="decision_date"
              label={t("finance.allocations.decisionDate")}
              required
            >
              {(field, invalid) => <Input {...field} type="date" status={invalid ? "error" : undefined} />}
            </FormField>
          </Space>
          <FormField control={form.control} name="note" label={t("finance.allocations.note")}>
            {(field) => <Input.TextArea {...field} rows={2} />}
          </FormField>
          <Button type="primary" htmlType="submit" loading={mutation.isPending}>
            {t("finance.allocations.create")}
          </Button>
        </Form>
      </Card>
    </>
  );
}
