/** Create buttons with their dialogs, shown only to the roles the service lets do it. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { App, Button, Input, InputNumber, Modal, Select } from "antd";
import { useState } from "react";
import { type FieldValues, type Path, type UseFormReturn, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem, unwrap, unwrapWithEtag } from "@/api/problem";
import { useApi, useSession } from "@/app/services";
import { hasRole } from "@/auth/access";
import { provinceCodes } from "@/auth/claims";
import { FormDialog } from "@/components/FormDialog";
import { ProblemAlert } from "@/components/ProblemAlert";
import { duplicatesKey } from "@/features/duplicates/queries";
import { inspectionKey } from "@/features/inspection/queries";
import { type Project, projectsKey, roundsKey } from "@/features/projects/queries";
import { reviewsKey } from "@/features/reviews/queries";
import { FormField } from "@/lib/forms";
import { fieldErrorMessage } from "@/lib/problemText";
import {
  CAMPAIGN_FIELDS,
  type CampaignValues,
  campaignBody,
  campaignSchema,
  emptyCampaign,
  emptyInspectionCase,
  emptyProject,
  emptyRound,
  FLOOR_BANDS,
  INSPECTION_CASE_FIELDS,
  type InspectionCaseValues,
  inspectionCaseBody,
  inspectionCaseSchema,
  PROJECT_FIELDS,
  PROJECT_KINDS,
  type ProjectValues,
  projectBody,
  projectField,
  projectSchema,
  ROUND_FIELDS,
  type RoundValues,
  roundBody,
  roundSchema,
  SALE_FIELDS,
  type SaleValues,
  saleBody,
  saleSchema,
  saleValues,
  TENURES,
  UNIT_KINDS,
} from "./schemas";

/** Who may open what (mirrors the services' permissions.py). */
export const CAMPAIGN_OPENERS = ["province_officer"] as const;
export const PROJECT_WRITERS = ["province_officer"] as const;
export const ROUND_OPENERS = ["province_officer"] as const;
export const DETECTION_RUNNERS = ["commune_officer", "province_officer"] as const;
export const CASE_PLANNERS = ["province_officer"] as const;

function useAllowed(roles: readonly string[]): boolean {
  const { user } = useSession();
  return hasRole(user, roles);
}

function useProvinces(): string[] {
  const { user } = useSession();
  return user ? provinceCodes(user) : [];
}

/** Server field errors next to fields; the rest in the alert. */
export function useServerErrors<V extends FieldValues>(
  form: UseFormReturn<V>,
  fields: readonly string[],
  rename: (field: string) => string = (f) => f,
) {
  const { i18n } = useTranslation();
  const [problem, setProblem] = useState<unknown>(null);
  return {
    problem,
    clear: () => setProblem(null),
    onError: (error: unknown) => {
      const p = toProblem(error);
      let first = true;
      for (const error of p.errors) {
        const name = error.field ? rename(error.field) : null;
        if (name && fields.includes(name)) {
          form.setError(
            name as Path<V>,
            { type: "server", message: fieldErrorMessage(error, i18n) },
            { shouldFocus: first },
          );
          first = false;
        }
      }
      setProblem(p);
    },
  };
}

function ProvinceField<V extends FieldValues>({ form, label }: { form: UseFormReturn<V>; label: string }) {
  const provinces = useProvinces();
  return (
    <FormField control={form.control} name={"province_code" as never} label={label} required>
      {(field) =>
        provinces.length > 1 ? (
          <Select {...field} options={provinces.map((p) => ({ value: p, label: p }))} />
        ) : (
          <Input {...field} maxLength={2} />
        )
      }
    </FormField>
  );
}

export function OpenCampaignButton() {
  const { t } = useTranslation();
  const api = useApi();
  const provinces = useProvinces();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<CampaignValues>({
    resolver: zodResolver(campaignSchema),
    defaultValues: emptyCampaign(provinces[0] ?? "", new Date()),
  });
  const errors = useServerErrors(form, CAMPAIGN_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: CampaignValues) =>
      unwrap(api.registry.POST("/v1/review-campaigns", { body: campaignBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: reviewsKey });
      void message.success(t("creates.campaign.opened"));
      await navigate({ to: "/review-campaigns/$campaignId", params: { campaignId: created.id } });
    },
    onError: errors.onError,
  });
  if (!useAllowed(CAMPAIGN_OPENERS)) return null;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.campaign.open")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.campaign.open")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <ProvinceField form={form} label={t("creates.campaign.province")} />
        <FormField control={form.control} name="year" label={t("creates.campaign.year")} required>
          {(field) => <InputNumber {...field} min={2000} max={2100} style={{ width: "100%" }} />}
        </FormField>
        <FormField
          control={form.control}
          name="window_opens_on"
          label={t("creates.campaign.opensOn")}
          help={t("creates.campaign.windowHelp")}
        >
          {(field) => <Input {...field} type="date" />}
        </FormField>
        <FormField control={form.control} name="window_closes_on" label={t("creates.campaign.closesOn")}>
          {(field) => <Input {...field} type="date" />}
        </FormField>
      </FormDialog>
    </>
  );
}

export function NewProjectButton() {
  const { t } = useTranslation();
  const api = useApi();
  const provinces = useProvinces();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<ProjectValues>({
    resolver: zodResolver(projectSchema),
    defaultValues: emptyProject(provinces[0] ?? ""),
  });
  const errors = useServerErrors(form, PROJECT_FIELDS, projectField);
  const mutation = useMutation({
    mutationFn: (v: ProjectValues) =>
      unwrap(api.registry.POST("/v1/housing-projects", { body: projectBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: projectsKey });
      void message.success(t("creates.project.created"));
      await navigate({ to: "/housing-projects/$projectId", params: { projectId: created.id } });
    },
    onError: errors.onError,
  });
  if (!useAllowed(PROJECT_WRITERS)) return null;
  const text = (
    name: "name" | "investor" | "address" | "commune_code" | "commercial_project_ref",
    label: string,
  ) => (
    <FormField control={form.control} name={name} label={label} required={name !== "commercial_project_ref"}>
      {(field) => <Input {...field} />}
    </FormField>
  );
  const count = (name: "land_area_m2" | "units", label: string) => (
    <FormField control={form.control} name={name} label={label} required>
      {(field) => <InputNumber {...field} min={0} style={{ width: "100%" }} />}
    </FormField>
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.project.create")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.project.create")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        {text("name", t("creates.project.name"))}
        {text("investor", t("creates.project.investor"))}
        {text("address", t("creates.project.address"))}
        <ProvinceField form={form} label={t("creates.project.province")} />
        {text("commune_code", t("creates.project.commune"))}
        <FormField control={form.control} name="kind" label={t("creates.project.kind")} required>
          {(field) => (
            <Select
              {...field}
              options={PROJECT_KINDS.map((k) => ({ value: k, label: t(`projects.kinds.${k}`) }))}
            />
          )}
        </FormField>
        {count("land_area_m2", t("creates.project.landArea"))}
        {text("commercial_project_ref", t("creates.project.commercialRef"))}
        <FormField control={form.control} name="unit_kind" label={t("creates.project.unitKind")} required>
          {(field) => (
            <Select
              {...field}
              options={UNIT_KINDS.map((k) => ({ value: k, label: t(`creates.project.unitKinds.${k}`) }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="floor_area_band" label={t("creates.project.band")} required>
          {(field) => (
            <Select
              {...field}
              options={FLOOR_BANDS.map((k) => ({ value: k, label: t(`creates.project.bands.${k}`) }))}
            />
          )}
        </FormField>
        {count("units", t("creates.project.units"))}
      </FormDialog>
    </>
  );
}

export function OpenRoundButton({ projectId }: { projectId?: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<RoundValues>({
    resolver: zodResolver(roundSchema),
    defaultValues: emptyRound(projectId),
  });
  const errors = useServerErrors(form, ROUND_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: RoundValues) =>
      unwrap(api.registry.POST("/v1/allocation-rounds", { body: roundBody(v) })),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: roundsKey });
      void message.success(t("creates.round.opened"));
      await navigate({ to: "/allocation-rounds/$roundId", params: { roundId: created.id } });
    },
    onError: errors.onError,
  });
  if (!useAllowed(ROUND_OPENERS)) return null;
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.round.open")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.round.open")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        {projectId ? null : (
          <FormField control={form.control} name="project_id" label={t("creates.round.project")} required>
            {(field) => <Input {...field} />}
          </FormField>
        )}
        <FormField control={form.control} name="tenure" label={t("creates.round.tenure")} required>
          {(field) => (
            <Select
              {...field}
              options={TENURES.map((k) => ({ value: k, label: t(`creates.round.tenures.${k}`) }))}
            />
          )}
        </FormField>
        <FormField control={form.control} name="units" label={t("creates.round.units")} required>
          {(field) => <InputNumber {...field} min={0} style={{ width: "100%" }} />}
        </FormField>
        <FormField
          control={form.control}
          name="published_seed"
          label={t("creates.round.seed")}
          help={t("creates.round.seedHelp")}
          required
        >
          {(field) => <Input {...field} />}
        </FormField>
      </FormDialog>
    </>
  );
}

export function RunDetectionButton() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: () => unwrap(api.registry.POST("/v1/duplicate-detections")),
    onMutate: () => setProblem(null),
    onSuccess: async (queued) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: duplicatesKey });
      void message.success(t("creates.detection.queued", { id: queued.job_id.slice(0, 8) }));
    },
    onError: setProblem,
  });
  if (!useAllowed(DETECTION_RUNNERS)) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("creates.detection.run")}</Button>
      <Modal
        open={open}
        title={t("creates.detection.run")}
        okText={t("creates.detection.run")}
        cancelText={t("common.cancel")}
        confirmLoading={mutation.isPending}
        onOk={() => mutation.mutate()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p>{t("creates.detection.text")}</p>
        {problem ? <ProblemAlert error={problem} /> : null}
      </Modal>
    </>
  );
}

/** Open a case, then (when an inspector is named) assign it with the new case's ETag as If-Match. */
export async function openAndAssignCase(
  api: ReturnType<typeof useApi>,
  values: InspectionCaseValues,
): Promise<{ id: string }> {
  const created = await unwrapWithEtag(
    api.inspection.POST("/v1/inspection-cases", { body: inspectionCaseBody(values) }),
  );
  const inspector = values.assignee.trim();
  if (!inspector) return created.data;
  await unwrap(
    api.inspection.POST("/v1/inspection-cases/{case_id}/assign", {
      params: {
        path: { case_id: created.data.id },
        header: { "If-Match": created.etag ?? `W/"${created.data.version}"` },
      },
      body: { inspector_subject: inspector, due_on: values.due_on || null },
    }),
  );
  return created.data;
}

export function OpenInspectionCaseButton() {
  const { t } = useTranslation();
  const api = useApi();
  const provinces = useProvinces();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<InspectionCaseValues>({
    resolver: zodResolver(inspectionCaseSchema),
    defaultValues: emptyInspectionCase(provinces[0] ?? ""),
  });
  const errors = useServerErrors(form, INSPECTION_CASE_FIELDS, (f) =>
    f === "inspector_subject" ? "assignee" : f,
  );
  const mutation = useMutation({
    mutationFn: (v: InspectionCaseValues) => openAndAssignCase(api, v),
    onMutate: errors.clear,
    onSuccess: async (created) => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
      void message.success(t("creates.inspectionCase.opened"));
      await navigate({ to: "/inspection-cases/$caseId", params: { caseId: created.id } });
    },
    onError: errors.onError,
  });
  if (!useAllowed(CASE_PLANNERS)) return null;
  const text = (name: "title" | "subject" | "commune_code" | "assignee", label: string, required = false) => (
    <FormField control={form.control} name={name} label={label} required={required}>
      {(field) => <Input {...field} />}
    </FormField>
  );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("creates.inspectionCase.open")}
      </Button>
      <FormDialog
        open={open}
        title={t("creates.inspectionCase.open")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField control={form.control} name="kind" label={t("creates.inspectionCase.kind")} required>
          {(field) => (
            <Select
              {...field}
              options={(["construction_check", "inspectorate_inspection"] as const).map((k) => ({
                value: k,
                label: t(`inspection.cases.kinds.${k}`),
              }))}
            />
          )}
        </FormField>
        {text("title", t("creates.inspectionCase.title"), true)}
        {text("subject", t("creates.inspectionCase.subject"), true)}
        <ProvinceField form={form} label={t("creates.campaign.province")} />
        {text("commune_code", t("creates.inspectionCase.commune"))}
        <FormField control={form.control} name="due_on" label={t("creates.inspectionCase.dueOn")}>
          {(field) => <Input {...field} type="date" />}
        </FormField>
        <FormField
          control={form.control}
          name="assignee"
          label={t("creates.inspectionCase.assignee")}
          help={t("creates.inspectionCase.assigneeHelp")}
        >
          {(field) => <Input {...field} />}
        </FormField>
      </FormDialog>
    </>
  );
}

/** Record or correct a project's sale publication (province officers, once construction started). */
export function SalePublicationButton({ project, etag }: { project: Project; etag: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const form = useForm<SaleValues>({ resolver: zodResolver(saleSchema), defaultValues: saleValues(project) });
  const errors = useServerErrors(form, SALE_FIELDS);
  const mutation = useMutation({
    mutationFn: (v: SaleValues) =>
      unwrap(
        api.registry.PUT("/v1/housing-projects/{project_id}/sale-publication", {
          params: { path: { project_id: project.id }, header: { "If-Match": etag } },
          body: saleBody(v),
        }),
      ),
    onMutate: errors.clear,
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: projectsKey });
      void message.success(t("creates.sale.saved"));
    },
    onError: errors.onError,
  });
  const allowed = useAllowed(PROJECT_WRITERS);
  if (!allowed || !project.started_on) return null;
  const label = project.sale_published_on ? t("creates.sale.correct") : t("creates.sale.publish");
  return (
    <>
      <Button onClick={() => setOpen(true)}>{label}</Button>
      <FormDialog
        open={open}
        title={label}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <FormField control={form.control} name="published_on" label={t("creates.sale.publishedOn")} required>
          {(field) => <Input {...field} type="date" />}
        </FormField>
        <FormField
          control={form.control}
          name="published_where"
          label={t("creates.sale.publishedWhere")}
          required
        >
          {(field) => <Input {...field} />}
        </FormField>
        <FormField control={form.control} name="opens_on" label={t("creates.sale.opensOn")} required>
          {(field) => <Input {...field} type="date" />}
        </FormField>
        <FormField control={form.control} name="closes_on" label={t("creates.sale.closesOn")} required>
          {(field) => <Input {...field} type="date" />}
        </FormField>
      </FormDialog>
    </>
  );
}
