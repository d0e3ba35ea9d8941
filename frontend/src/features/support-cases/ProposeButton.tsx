/** Propose a support case (commune and province officers): for the household of the page, or one
 * picked by a member's name; the amount that would apply is shown before sending. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Alert, App, Button, Input, Select } from "antd";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import { useApi } from "@/app/services";
import { FormDialog } from "@/components/FormDialog";
import { useCanWrite } from "@/components/RequireScreen";
import { useServerErrors } from "@/features/creates/dialogs";
import { localToday } from "@/features/households/dwelling";
import { PersonPicker } from "@/features/households/PersonPicker";
import { householdsKey } from "@/features/households/queries";
import { formatNumber } from "@/lib/format";
import { FormField } from "@/lib/forms";
import {
  applicableRate,
  emptyProposal,
  PROPOSE_FIELDS,
  type ProposeValues,
  proposeBody,
  proposeSchema,
  supportRatesQuery,
} from "./propose";
import { supportCasesKey } from "./queries";
import { supportCasesScreen } from "./screen";
import { KINDS, STREAMS } from "./search";

export function ProposeSupportCaseButton({ householdId }: { householdId?: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const canWrite = useCanWrite(supportCasesScreen);
  const [open, setOpen] = useState(false);
  const rates = useQuery({ ...supportRatesQuery(api), enabled: open });
  const form = useForm<ProposeValues>({
    resolver: zodResolver(proposeSchema),
    defaultValues: emptyProposal(householdId),
  });
  const errors = useServerErrors(form, PROPOSE_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: ProposeValues) =>
      unwrap(api.registry.POST("/v1/support-cases", { body: proposeBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      form.reset(emptyProposal(householdId));
      void message.success(t("householdForms.propose.done"));
      await queryClient.invalidateQueries({ queryKey: supportCasesKey });
      await queryClient.invalidateQueries({ queryKey: [...householdsKey, "one", created.household_id] });
      await navigate({ to: "/support-cases/$caseId", params: { caseId: created.id } });
    },
    onError: errors.onError,
  });
  const [stream, kind, proposedOn] = form.watch(["stream", "kind", "proposed_on"]);
  if (!canWrite) return null;
  const rate = rates.data
    ? applicableRate(rates.data.items, stream, kind, proposedOn || localToday())
    : undefined;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("householdForms.propose.button")}
      </Button>
      <FormDialog
        open={open}
        title={t("householdForms.propose.title")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        {householdId ? null : (
          <FormField
            control={form.control}
            name="household_id"
            label={t("householdForms.propose.household")}
            help={t("householdForms.propose.householdHelp")}
            required
          >
            {(field, invalid) => (
              <PersonPicker
                id={field.id}
                pick="household"
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                status={invalid ? "error" : undefined}
              />
            )}
          </FormField>
        )}
        <FormField control={form.control} name="stream" label={t("supportCases.stream")} required>
          {(field) => (
            <Select
              id={field.id}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              options={STREAMS.map((value) => ({ value, label: t(`supportCases.streams.${value}`) }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="kind" label={t("supportCases.kind")} required>
          {(field) => (
            <Select
              id={field.id}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              options={KINDS.map((value) => ({ value, label: t(`supportCases.kinds.${value}`) }))}
            />
          )}
        </FormField>
        <FormField
          control={form.control}
          name="proposed_on"
          label={t("householdForms.propose.proposedOn")}
          help={t("householdForms.propose.proposedOnHelp")}
        >
          {(field, invalid) => <Input {...field} type="date" status={invalid ? "error" : undefined} />}
        </FormField>
        {rate === undefined ? null : rate ? (
          <Alert
            type="info"
            showIcon
            data-testid="support-rate"
            title={t("householdForms.propose.rate")}
            description={t("householdForms.propose.rateLine", {
              amount: formatNumber(rate.amount_vnd, i18n.language),
              basis: rate.legal_basis,
            })}
            style={{ marginBottom: 16 }}
          />
        ) : (
          <Alert
            type="warning"
            showIcon
            data-testid="support-rate"
            title={t("householdForms.propose.noRate")}
            style={{ marginBottom: 16 }}
          />
        )}
        <FormField control={form.control} name="note" label={t("supportCases.note")}>
          {(field) => <Input.TextArea {...field} rows={2} maxLength={2000} />}
        </FormField>
      </FormDialog>
    </>
  );
}
