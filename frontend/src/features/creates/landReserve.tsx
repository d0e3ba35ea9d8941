/** Province officers record commercial projects and their 20% land-reserve obligations. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { App, Button, Input, InputNumber, Select } from "antd";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import { useApi, useSession } from "@/app/services";
import { hasRole } from "@/auth/access";
import { provinceCodes } from "@/auth/claims";
import { FormDialog } from "@/components/FormDialog";
import { commercialProjectsQuery, inspectionKey } from "@/features/inspection/queries";
import { FormField } from "@/lib/forms";
import { useServerErrors } from "./dialogs";
import {
  COMMERCIAL_KINDS,
  COMMERCIAL_PROJECT_FIELDS,
  type CommercialProjectValues,
  commercialProjectBody,
  commercialProjectSchema,
  emptyCommercialProject,
  emptyObligation,
  LAND_RESERVE_METHODS,
  OBLIGATION_FIELDS,
  type ObligationValues,
  obligationBody,
  obligationSchema,
} from "./landReserveSchemas";

export const LAND_RESERVE_WRITERS = ["province_officer"] as const;

function useWriter(): { allowed: boolean; province: string } {
  const { user } = useSession();
  return {
    allowed: hasRole(user, LAND_RESERVE_WRITERS),
    province: user ? (provinceCodes(user)[0] ?? "") : "",
  };
}

export function NewCommercialProjectButton() {
  const { t } = useTranslation();
  const api = useApi();
  const { allowed, province } = useWriter();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<CommercialProjectValues>({
    resolver: zodResolver(commercialProjectSchema),
    defaultValues: emptyCommercialProject(province),
  });
  const errors = useServerErrors(form, COMMERCIAL_PROJECT_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: CommercialProjectValues) =>
      unwrap(api.inspection.POST("/v1/commercial-projects", { body: commercialProjectBody(v) })),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      form.reset(emptyCommercialProject(province));
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
      void message.success(t("creates.landReserve.created"));
    },
    onError: errors.onError,
  });
  if (!allowed) return null;
  const text = (
    name: "province_code" | "commune_code" | "name" | "investor_name" | "approval_decision",
    label: string,
    required = true,
  ) => (
    <FormField control={form.control} name={name} label={label} required={required}>
      {(field) => <Input {...field} />}
    </FormField>
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.landReserve.newProject")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.landReserve.newProject")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        {text("name", t("creates.landReserve.name"))}
        {text("investor_name", t("creates.landReserve.investor"))}
        <FormField control={form.control} name="kind" label={t("creates.landReserve.kind")} required>
          {(field) => (
            <Select
              {...field}
              options={COMMERCIAL_KINDS.map((k) => ({
                value: k,
                label: t(`inspection.projects.kinds.${k}`),
              }))}
            />
          )}
        </FormField>
        {text("province_code", t("creates.landReserve.province"))}
        {text("commune_code", t("creates.landReserve.commune"))}
        <FormField
          control={form.control}
          name="residential_land_m2"
          label={t("creates.landReserve.residentialLand")}
          required
        >
          {(field) => <InputNumber {...field} min={0} style={{ width: "100%" }} />}
        </FormField>
        <FormField control={form.control} name="total_land_m2" label={t("creates.landReserve.totalLand")}>
          {(field) => <InputNumber {...field} min={0} style={{ width: "100%" }} />}
        </FormField>
        {text("approval_decision", t("creates.landReserve.approvalDecision"), false)}
        <FormField control={form.control} name="approved_on" label={t("creates.landReserve.approvedOn")}>
          {(field) => <Input {...field} type="date" />}
        </FormField>
      </FormDialog>
    </>
  );
}

export function NewObligationButton() {
  const { t } = useTranslation();
  const api = useApi();
  const { allowed } = useWriter();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const projects = useQuery({ ...commercialProjectsQuery(api, {}), enabled: open && allowed });
  const form = useForm<ObligationValues>({
    resolver: zodResolver(obligationSchema),
    defaultValues: emptyObligation(),
  });
  const method = useWatch({ control: form.control, name: "method" });
  const errors = useServerErrors(form, OBLIGATION_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: ObligationValues) =>
      unwrap(api.inspection.POST("/v1/land-reserve-obligations", { body: obligationBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
      void message.success(t("creates.landReserve.created"));
      await navigate({ to: "/land-reserve-obligations/$obligationId", params: { obligationId: created.id } });
    },
    onError: errors.onError,
  });
  if (!allowed) return null;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.landReserve.newObligation")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.landReserve.newObligation")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField
          control={form.control}
          name="commercial_project_id"
          label={t("creates.landReserve.project")}
          required
        >
          {(field) => (
            <Select
              {...field}
              showSearch
              optionFilterProp="label"
              loading={projects.isFetching}
              options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="method" label={t("creates.landReserve.method")} required>
          {(field) => (
            <Select
              {...field}
              options={LAND_RESERVE_METHODS.map((m) => ({
                value: m,
                label: t(`inspection.obligations.methods.${m}`),
              }))}
            />
          )}
        </FormField>
        <FormField
          control={form.control}
          name="decided_on"
          label={t("creates.landReserve.decidedOn")}
          required
        >
          {(field) => <Input {...field} type="date" />}
        </FormField>
        <FormField
          control={form.control}
          name="decision_number"
          label={t("creates.landReserve.decisionNumber")}
        >
          {(field) => <Input {...field} />}
        </FormField>
        {method === "pay_money" ? (
          <>
            <FormField
              control={form.control}
              name="land_price_vnd_per_m2"
              label={t("creates.landReserve.landPrice")}
            >
              {(field) => <InputNumber {...field} min={0} style={{ width: "100%" }} />}
            </FormField>
            <FormField
              control={form.control}
              name="payment_due"
              label={t("creates.landReserve.paymentDue")}
              required
            >
              {(field) => <Input {...field} type="date" />}
            </FormField>
          </>
        ) : (
          <FormField control={form.control} name="started_due" label={t("creates.landReserve.startedDue")}>
            {(field) => <Input {...field} type="date" />}
          </FormField>
        )}
      </FormDialog>
    </>
  );
}
