/** Add a proof document to a draft or submitted application (commune and province officers). */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { App, Button, Checkbox, Input, InputNumber, Select } from "antd";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import type { components } from "@/api/registry";
import { useApi } from "@/app/services";
import { FormDialog } from "@/components/FormDialog";
import { PersonPicker } from "@/features/households/PersonPicker";
import { householdQuery } from "@/features/households/queries";
import { applicationsKey, projectsQuery } from "@/features/projects/queries";
import { FormField } from "@/lib/forms";
import { useServerErrors } from "./dialogs";
import {
  APPLICATION_FIELDS,
  type ApplicationValues,
  applicationBody,
  applicationSchema,
  coveredPersons,
  EVIDENCE_FIELDS,
  EVIDENCE_FORMS,
  EVIDENCE_OPEN,
  type EvidenceValues,
  emptyApplication,
  emptyEvidence,
  evidenceBody,
  evidenceSchema,
} from "./evidenceSchema";

export function AddEvidenceButton({
  application,
  canWrite,
}: {
  application: components["schemas"]["ApplicationDetail"];
  canWrite: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const people = coveredPersons(application);
  const form = useForm<EvidenceValues>({
    resolver: zodResolver(evidenceSchema),
    defaultValues: emptyEvidence(application.applicant_person_id),
  });
  const errors = useServerErrors(form, EVIDENCE_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: EvidenceValues) =>
      unwrap(
        api.registry.POST("/v1/applications/{application_id}/evidence", {
          params: { path: { application_id: application.id } },
          body: evidenceBody(v),
        }),
      ),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      form.reset(emptyEvidence(application.applicant_person_id));
      await queryClient.invalidateQueries({ queryKey: applicationsKey });
      void message.success(t("creates.evidence.added"));
    },
    onError: errors.onError,
  });
  if (!canWrite || !EVIDENCE_OPEN.includes(application.status)) return null;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t("creates.evidence.add")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.evidence.add")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField control={form.control} name="person_id" label={t("creates.evidence.person")} required>
          {(field) => (
            <Select
              {...field}
              options={people.map((p) => ({
                value: p.id,
                label: `${t(`creates.evidence.roles.${p.role}`)} · ${p.id.slice(0, 8)}…`,
              }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="form" label={t("creates.evidence.form")} required>
          {(field) => (
            <Select
              {...field}
              options={EVIDENCE_FORMS.map((f) => ({ value: f, label: t(`creates.evidence.forms.${f}`) }))}
            />
          )}
        </FormField>
        <FormField
          control={form.control}
          name="form_version"
          label={t("creates.evidence.formVersion")}
          help={t("creates.evidence.formVersionHelp")}
          required
        >
          {(field) => <Input {...field} />}
        </FormField>
        <FormField control={form.control} name="issuer" label={t("creates.evidence.issuer")} required>
          {(field) => <Input {...field} />}
        </FormField>
        <FormField control={form.control} name="issued_on" label={t("creates.evidence.issuedOn")} required>
          {(field) => <Input {...field} type="date" />}
        </FormField>
        <FormField control={form.control} name="document_number" label={t("creates.evidence.documentNumber")}>
          {(field) => <Input {...field} />}
        </FormField>
      </FormDialog>
    </>
  );
}

/** A new application: the project, the applicant, the spouse and the members (picked by name from the
 * household register; the applicant's household members are offered first), and the facts the
 * eligibility rules read. Commune and province officers. */
export function NewApplicationButton({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const projects = useQuery({ ...projectsQuery(api, {}), enabled: open });
  const form = useForm<ApplicationValues>({
    resolver: zodResolver(applicationSchema),
    defaultValues: emptyApplication(),
  });
  const errors = useServerErrors(form, APPLICATION_FIELDS, (f) =>
    f.startsWith("member_person_ids") ? "members" : f,
  );
  // The applicant's household: its other members are the likely spouse and members.
  const [applicantHousehold, setApplicantHousehold] = useState<string | null>(null);
  const household = useQuery({
    ...householdQuery(api, applicantHousehold ?? ""),
    enabled: open && applicantHousehold !== null,
  });
  const applicantId = form.watch("applicant_person_id");
  const relatives = (household.data?.members ?? []).filter((m) => m.id !== applicantId);
  const mutation = useMutation({
    mutationFn: (v: ApplicationValues) =>
      unwrap(api.registry.POST("/v1/applications", { body: applicationBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: applicationsKey });
      void message.success(t("common.created"));
      await navigate({ to: "/applications/$applicationId", params: { applicationId: created.id } });
    },
    onError: errors.onError,
  });
  if (!canWrite) return null;
  const person = (name: "applicant_person_id" | "spouse_person_id", label: string, required: boolean) => (
    <FormField control={form.control} name={name} label={label} required={required}>
      {(field, invalid) => (
        <PersonPicker
          id={field.id}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          status={invalid ? "error" : undefined}
          allowClear={!required}
          suggestions={name === "spouse_person_id" ? relatives : undefined}
          onPick={
            name === "applicant_person_id" ? (p) => setApplicantHousehold(p?.household_id ?? null) : undefined
          }
        />
      )}
    </FormField>
  );
  const flag = (name: "applicant_disabled" | "resettled", label: string) => (
    <FormField control={form.control} name={name} label={label}>
      {({ value, onChange, ...field }) => (
        <Checkbox {...field} checked={value} onChange={(e) => onChange(e.target.checked)}>
          {label}
        </Checkbox>
      )}
    </FormField>
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.application.create")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.application.create")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField control={form.control} name="project_id" label={t("applications.project")} required>
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
        <FormField control={form.control} name="tenure" label={t("applications.tenure")} required>
          {(field) => (
            <Select
              {...field}
              options={(["buy", "lease_purchase", "rent"] as const).map((k) => ({
                value: k,
                label: t(`applications.tenures.${k}`),
              }))}
            />
          )}
        </FormField>
        {person("applicant_person_id", t("creates.application.applicant"), true)}
        {person("spouse_person_id", t("creates.application.spouse"), false)}
        <FormField
          control={form.control}
          name="members"
          label={t("creates.application.members")}
          help={t("creates.application.membersHelp")}
        >
          {(field, invalid) => (
            <PersonPicker
              id={field.id}
              mode="multiple"
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              status={invalid ? "error" : undefined}
              suggestions={relatives}
            />
          )}
        </FormField>
        <FormField
          control={form.control}
          name="beneficiary_group"
          label={t("creates.application.group")}
          required
        >
          {(field) => <InputNumber {...field} min={1} max={12} style={{ width: "100%" }} />}
        </FormField>
        <FormField
          control={form.control}
          name="marital_status"
          label={t("applications.maritalStatus")}
          required
        >
          {(field) => (
            <Select
              {...field}
              options={(["single", "married", "single_with_child"] as const).map((k) => ({
                value: k,
                label: t(`applications.maritalStatuses.${k}`),
              }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="monthly_income_vnd" label={t("applications.income")}>
          {(field) => <InputNumber {...field} min={0} step={500_000} style={{ width: "100%" }} />}
        </FormField>
        {flag("applicant_disabled", t("creates.application.disabled"))}
        {flag("resettled", t("creates.application.resettled"))}
        <FormField control={form.control} name="note" label={t("reviews.note")}>
          {(field) => <Input.TextArea {...field} rows={2} />}
        </FormField>
      </FormDialog>
    </>
  );
}
