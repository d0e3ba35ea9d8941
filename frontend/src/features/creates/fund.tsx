/** Housing-fund writes: record a movement, reverse one (finance officers). */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Input, InputNumber, Select } from "antd";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import { useApi, useSession } from "@/app/services";
import { hasRole } from "@/auth/access";
import { FormDialog } from "@/components/FormDialog";
import { financeKey, provinceOf } from "@/features/finance/queries";
import { FormField } from "@/lib/forms";
import { useServerErrors } from "./dialogs";
import {
  emptyMovement,
  INFLOW_KINDS,
  localToday,
  MOVEMENT_FIELDS,
  type MovementValues,
  movementBody,
  movementSchema,
  OUTFLOW_PURPOSES,
  REVERSAL_FIELDS,
  type ReversalValues,
  reversalBody,
  reversalSchema,
} from "./fundSchemas";

export const FUND_WRITERS = ["finance_officer"] as const;

export function useFundWriter(): boolean {
  const { user } = useSession();
  return hasRole(user, FUND_WRITERS);
}

function DocumentFields({
  form,
}: {
  form: ReturnType<typeof useForm<ReversalValues>> | ReturnType<typeof useForm<MovementValues>>;
}) {
  const { t } = useTranslation();
  const f = form as ReturnType<typeof useForm<ReversalValues>>;
  return (
    <>
      <FormField control={f.control} name="occurred_on" label={t("creates.fund.occurredOn")} required>
        {(field) => <Input {...field} type="date" />}
      </FormField>
      <FormField control={f.control} name="document_number" label={t("creates.fund.documentNumber")} required>
        {(field) => <Input {...field} />}
      </FormField>
      <FormField control={f.control} name="document_date" label={t("creates.fund.documentDate")}>
        {(field) => <Input {...field} type="date" />}
      </FormField>
    </>
  );
}

export function RecordMovementButton() {
  const { t } = useTranslation();
  const api = useApi();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<MovementValues>({
    resolver: zodResolver(movementSchema),
    defaultValues: emptyMovement(provinceOf(user?.areaCodes ?? []), localToday()),
  });
  const direction = useWatch({ control: form.control, name: "direction" });
  const category = useWatch({ control: form.control, name: "category" });
  const errors = useServerErrors(form, MOVEMENT_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: MovementValues) =>
      unwrap(api.funding.POST("/v1/housing-fund/movements", { body: movementBody(v) })),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      form.reset(emptyMovement(form.getValues("province_code"), localToday()));
      await queryClient.invalidateQueries({ queryKey: financeKey });
      void message.success(t("creates.fund.recorded"));
    },
    onError: errors.onError,
  });
  if (!useFundWriter()) return null;
  const categories = direction === "inflow" ? INFLOW_KINDS : OUTFLOW_PURPOSES;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.fund.record")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.fund.record")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField control={form.control} name="province_code" label={t("creates.fund.province")} required>
          {(field) => <Input {...field} maxLength={2} />}
        </FormField>
        <FormField control={form.control} name="direction" label={t("finance.fund.direction")} required>
          {(field) => (
            <Select
              {...field}
              onChange={(v) => {
                field.onChange(v);
                form.setValue("category", "");
              }}
              options={(["inflow", "outflow"] as const).map((d) => ({
                value: d,
                label: t(`finance.fund.directions.${d}`),
              }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="category" label={t("creates.fund.category")} required>
          {(field) => (
            <Select
              {...field}
              options={categories.map((c) => ({ value: c, label: t(`creates.fund.categories.${c}`) }))}
            />
          )}
        </FormField>
        {category === "in_lieu_land_fund" ? (
          <FormField
            control={form.control}
            name="obligation_id"
            label={t("creates.fund.obligation")}
            required
          >
            {(field) => <Input {...field} />}
          </FormField>
        ) : null}
        <FormField control={form.control} name="amount_vnd" label={t("creates.fund.amount")} required>
          {(field) => <InputNumber {...field} min={0} step={1_000_000} style={{ width: "100%" }} />}
        </FormField>
        <DocumentFields form={form} />
        <FormField control={form.control} name="description" label={t("creates.fund.description")}>
          {(field) => <Input.TextArea {...field} rows={2} />}
        </FormField>
      </FormDialog>
    </>
  );
}

export function ReverseMovementButton({ movementId }: { movementId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<ReversalValues>({
    resolver: zodResolver(reversalSchema),
    defaultValues: { occurred_on: localToday(), document_number: "", document_date: "", description: "" },
  });
  const errors = useServerErrors(form, REVERSAL_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: ReversalValues) =>
      unwrap(
        api.funding.POST("/v1/housing-fund/movements/{movement_id}/reversal", {
          params: { path: { movement_id: movementId } },
          body: reversalBody(v),
        }),
      ),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: financeKey });
      void message.success(t("creates.fund.reversedDone"));
    },
    onError: errors.onError,
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t("creates.fund.reverse")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.fund.reverse")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <p>{t("creates.fund.reverseText")}</p>
        <DocumentFields form={form} />
        <FormField control={form.control} name="description" label={t("creates.fund.reason")} required>
          {(field) => <Input.TextArea {...field} rows={2} />}
        </FormField>
      </FormDialog>
    </>
  );
}
