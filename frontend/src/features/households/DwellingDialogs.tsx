/** Adding a dwelling with its first condition assessment, and assessing the current one again. The
 * service classifies the house; the answer (temporary, dilapidated, adequate) is said when saved. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Col, Divider, Input, InputNumber, Row, Select, Typography } from "antd";
import { useState } from "react";
import { type FieldValues, type Path, type UseFormReturn, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { FormDialog } from "@/components/FormDialog";
import { FormField } from "@/lib/forms";
import { fieldErrorMessage } from "@/lib/problemText";
import {
  ASSESSMENT_FIELDS,
  type Assessment,
  type AssessmentValues,
  assessDwelling,
  assessmentSchema,
  createDwelling,
  DWELLING_FIELDS,
  type DwellingValues,
  dwellingFieldName,
  dwellingSchema,
  emptyAssessment,
  emptyDwelling,
  LAND_STATUSES,
  MATERIALS,
  STRUCTURE_PARTS,
  STRUCTURE_STATES,
} from "./dwelling";
import { householdsKey } from "./queries";

/** Server field errors onto the form (renamed where the form calls a field otherwise). */
function useFieldProblems<V extends FieldValues>(form: UseFormReturn<V>) {
  const { i18n } = useTranslation();
  const [problem, setProblem] = useState<unknown>(null);
  return {
    problem,
    clear: () => setProblem(null),
    show: (error: unknown, fields: readonly string[], rename: (f: string) => string = (f) => f) => {
      const p = toProblem(error);
      let first = true;
      for (const e of p.errors) {
        const name = e.field ? rename(e.field) : null;
        if (name && fields.includes(name)) {
          form.setError(
            name as Path<V>,
            { type: "server", message: fieldErrorMessage(e, i18n) },
            { shouldFocus: first },
          );
          first = false;
        }
      }
      setProblem(p);
    },
  };
}

function AssessmentFields<V extends AssessmentValues>({ form }: { form: UseFormReturn<V> }) {
  const { t } = useTranslation();
  const name = (field: string) => field as Path<V>;
  const select = (field: string, label: string, options: { value: string; label: string }[]) => (
    <FormField control={form.control} name={name(field)} label={label} required>
      {(f) => (
        <Select
          id={f.id}
          value={f.value as string}
          onChange={f.onChange}
          onBlur={f.onBlur}
          options={options}
        />
      )}
    </FormField>
  );
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t("householdForms.dwelling.assessmentHint")}
      </Typography.Paragraph>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <FormField
            control={form.control}
            name={name("assessed_on")}
            label={t("householdForms.dwelling.assessedOn")}
            required
          >
            {(f, invalid) => (
              <Input {...f} value={f.value as string} type="date" status={invalid ? "error" : undefined} />
            )}
          </FormField>
        </Col>
        <Col xs={24} md={16}>
          <FormField
            control={form.control}
            name={name("assessor")}
            label={t("householdForms.dwelling.assessor")}
            required
          >
            {(f, invalid) => (
              <Input
                {...f}
                value={f.value as string}
                maxLength={200}
                status={invalid ? "error" : undefined}
              />
            )}
          </FormField>
        </Col>
        <Col xs={12} md={8}>
          <FormField
            control={form.control}
            name={name("floor_area_m2")}
            label={t("householdForms.dwelling.floorArea")}
            required
          >
            {(f, invalid) => (
              <InputNumber
                id={f.id}
                value={f.value as number | null}
                onChange={f.onChange}
                onBlur={f.onBlur}
                min={0}
                max={10000}
                step={0.5}
                status={invalid ? "error" : undefined}
                style={{ width: "100%" }}
              />
            )}
          </FormField>
        </Col>
        <Col xs={12} md={8}>
          <FormField
            control={form.control}
            name={name("residents")}
            label={t("householdForms.dwelling.residents")}
            required
          >
            {(f, invalid) => (
              <InputNumber
                id={f.id}
                value={f.value as number | null}
                onChange={f.onChange}
                onBlur={f.onBlur}
                min={1}
                max={100}
                precision={0}
                status={invalid ? "error" : undefined}
                style={{ width: "100%" }}
              />
            )}
          </FormField>
        </Col>
        <Col xs={24} md={8}>
          {select(
            "land_status",
            t("householdForms.dwelling.landStatus"),
            LAND_STATUSES.map((value) => ({
              value,
              label: t(`householdForms.dwelling.landStatuses.${value}`),
            })),
          )}
        </Col>
        {STRUCTURE_PARTS.map((part) => {
          const partName = t(`householdForms.dwelling.parts.${part}`);
          return (
            <Col xs={24} md={8} key={part}>
              {select(
                `${part}.material`,
                t("householdForms.dwelling.material", { part: partName }),
                MATERIALS.map((value) => ({ value, label: t(`householdForms.dwelling.materials.${value}`) })),
              )}
              {select(
                `${part}.state`,
                t("householdForms.dwelling.state", { part: partName }),
                STRUCTURE_STATES.map((value) => ({
                  value,
                  label: t(`householdForms.dwelling.states.${value}`),
                })),
              )}
            </Col>
          );
        })}
      </Row>
      <FormField control={form.control} name={name("note")} label={t("householdForms.dwelling.note")}>
        {(f) => <Input.TextArea {...f} value={f.value as string} rows={2} maxLength={2000} />}
      </FormField>
    </>
  );
}

function useAssessed() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return async (assessment: Assessment, householdId: string) => {
    void message.success(
      t("householdForms.dwelling.done", {
        classification: t(`households.classes.${assessment.classification}`),
      }),
    );
    await queryClient.invalidateQueries({ queryKey: [...householdsKey, "one", householdId] });
  };
}

/** A new dwelling (the current one, if any, ends the day before) with its first assessment. When the
 * dwelling is stored but the assessment is refused, the dialog stays open for the assessment only. */
export function AddDwellingButton({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const assessed = useAssessed();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [dwellingId, setDwellingId] = useState<string | null>(null);
  const form = useForm<DwellingValues>({
    resolver: zodResolver(dwellingSchema),
    defaultValues: emptyDwelling(),
  });
  const errors = useFieldProblems(form);
  const mutation = useMutation({
    mutationFn: async (v: DwellingValues) => {
      let id = dwellingId;
      if (!id) {
        try {
          id = (await createDwelling(api, householdId, v)).id;
        } catch (error) {
          throw { stage: "dwelling", error };
        }
        setDwellingId(id);
      }
      try {
        return await assessDwelling(api, id, v);
      } catch (error) {
        throw { stage: "assessment", error };
      }
    },
    onMutate: errors.clear,
    onSuccess: async (assessment) => {
      setOpen(false);
      setDwellingId(null);
      form.reset(emptyDwelling());
      await assessed(assessment, householdId);
    },
    onError: (failure: { stage: "dwelling" | "assessment"; error: unknown }) =>
      failure.stage === "dwelling"
        ? errors.show(failure.error, DWELLING_FIELDS, dwellingFieldName)
        : errors.show(failure.error, ASSESSMENT_FIELDS),
  });
  const close = () => {
    setOpen(false);
    // A stored dwelling without its assessment stays: the page shows it as not assessed, with
    // "Assess again" to finish.
    if (dwellingId) {
      setDwellingId(null);
      void queryClient.invalidateQueries({ queryKey: [...householdsKey, "one", householdId] });
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("householdForms.dwelling.add")}</Button>
      <FormDialog
        open={open}
        title={t("householdForms.dwelling.addTitle")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={close}
      >
        <Divider titlePlacement="start" plain>
          {t("householdForms.dwelling.dwellingPart")}
        </Divider>
        {dwellingId ? (
          <Typography.Paragraph type="warning" data-testid="dwelling-kept">
            {t("householdForms.dwelling.dwellingKept")}
          </Typography.Paragraph>
        ) : (
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <FormField
                control={form.control}
                name="since"
                label={t("householdForms.dwelling.since")}
                help={t("householdForms.dwelling.sinceHelp")}
                required
              >
                {(f, invalid) => <Input {...f} type="date" status={invalid ? "error" : undefined} />}
              </FormField>
            </Col>
            <Col xs={24} md={8}>
              <FormField
                control={form.control}
                name="built_year"
                label={t("householdForms.dwelling.builtYear")}
              >
                {(f, invalid) => (
                  <InputNumber
                    id={f.id}
                    value={f.value}
                    onChange={f.onChange}
                    onBlur={f.onBlur}
                    min={1800}
                    max={2100}
                    precision={0}
                    status={invalid ? "error" : undefined}
                    style={{ width: "100%" }}
                  />
                )}
              </FormField>
            </Col>
            <Col xs={24} md={8}>
              <FormField
                control={form.control}
                name="dwelling_note"
                label={t("householdForms.dwelling.dwellingNote")}
              >
                {(f) => <Input {...f} maxLength={2000} />}
              </FormField>
            </Col>
          </Row>
        )}
        <Divider titlePlacement="start" plain>
          {t("householdForms.dwelling.assessmentPart")}
        </Divider>
        <AssessmentFields form={form} />
      </FormDialog>
    </>
  );
}

/** A new assessment of the current dwelling (the latest one counts). */
export function AssessDwellingButton({
  householdId,
  dwellingId,
}: {
  householdId: string;
  dwellingId: string;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const assessed = useAssessed();
  const [open, setOpen] = useState(false);
  const form = useForm<AssessmentValues>({
    resolver: zodResolver(assessmentSchema),
    defaultValues: emptyAssessment(),
  });
  const errors = useFieldProblems(form);
  const mutation = useMutation({
    mutationFn: (v: AssessmentValues) => assessDwelling(api, dwellingId, v),
    onMutate: errors.clear,
    onSuccess: async (assessment) => {
      setOpen(false);
      form.reset(emptyAssessment());
      await assessed(assessment, householdId);
    },
    onError: (error) => errors.show(error, ASSESSMENT_FIELDS),
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("householdForms.dwelling.assess")}</Button>
      <FormDialog
        open={open}
        title={t("householdForms.dwelling.assessTitle")}
        form={form}
        submitting={mutation.isPending}
        problem={errors.problem}
        onSubmit={(v) => mutation.mutate(v)}
        onCancel={() => setOpen(false)}
      >
        <AssessmentFields form={form} />
      </FormDialog>
    </>
  );
}
