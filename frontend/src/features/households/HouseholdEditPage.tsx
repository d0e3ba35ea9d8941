import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { Alert, App, Button, Card, Form, Input, Select, Skeleton, Space } from "antd";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem, unwrapWithEtag } from "@/api/problem";
import { useApi } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useEditableResource } from "@/lib/editing";
import { applyServerErrors, FormField, useDiscardDraft } from "@/lib/forms";
import {
  emptyHousehold,
  HOUSEHOLD_FIELDS,
  type HouseholdValues,
  householdEditQuery,
  householdSchema,
  householdUpdateBody,
  householdValues,
} from "./edit";
import { householdsKey } from "./queries";

const route = getRouteApi("/households/$householdId/edit");

/** PATCH with If-Match: only the changed fields; a 422's field errors (by their `pointer`) next to the
 * fields, a 412 offers "Reload". */
export function HouseholdEditPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { householdId } = route.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const options = householdEditQuery(api, householdId);
  const query = useQuery(options);
  const form = useForm<HouseholdValues>({
    resolver: zodResolver(householdSchema),
    defaultValues: emptyHousehold(),
  });
  const draftKey = `household:${householdId}`;
  const edit = useEditableResource({ query, form, toValues: householdValues, draftKey });
  const discardDraft = useDiscardDraft(draftKey);
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: (values: HouseholdValues) =>
      unwrapWithEtag(
        api.registry.PATCH("/v1/households/{household_id}", {
          params: { path: { household_id: householdId }, header: { "If-Match": edit.etag } },
          body: householdUpdateBody(values, edit.initial ?? values),
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      discardDraft();
      void message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: householdsKey });
      void navigate({ to: "/households/$householdId", params: { householdId } });
    },
    onError: (error) => {
      const p = toProblem(error);
      applyServerErrors(p, form, HOUSEHOLD_FIELDS, i18n);
      setProblem(p);
    },
  });
  const back = (
    <Link to="/households/$householdId" params={{ householdId }}>
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("households.editTitle")} extra={back} />
        <ProblemAlert error={query.error} />
      </>
    );
  }
  if (!edit.ready) return <Skeleton active />;
  const p = problem ? toProblem(problem) : null;
  return (
    <>
      <PageHeader title={t("households.editTitle")} subtitle={query.data?.data.address} extra={back} />
      {edit.restored ? (
        <Alert type="info" showIcon title={t("common.draftRestored")} style={{ marginBottom: 16 }} />
      ) : null}
      <ProblemAlert
        error={problem}
        onReload={
          p && (p.status === 412 || p.status === 428)
            ? () => {
                setProblem(null);
                void edit.reload();
              }
            : undefined
        }
      />
      <Card size="small" style={{ maxWidth: 720 }}>
        <Form
          layout="vertical"
          onFinish={() => void form.handleSubmit((values) => mutation.mutate(values))()}
        >
          <FormField control={form.control} name="address" label={t("households.address")} required>
            {(field, invalid) => <Input {...field} status={invalid ? "error" : undefined} maxLength={300} />}
          </FormField>
          <FormField control={form.control} name="hamlet" label={t("households.hamlet")}>
            {(field, invalid) => <Input {...field} status={invalid ? "error" : undefined} maxLength={120} />}
          </FormField>
          <FormField
            control={form.control}
            name="residence_area"
            label={t("households.residenceArea")}
            required
          >
            {(field) => (
              <Select
                id={field.id}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                style={{ width: 220 }}
                options={(["urban", "rural"] as const).map((value) => ({
                  value,
                  label: t(`households.residenceAreas.${value}`),
                }))}
              />
            )}
          </FormField>
          <FormField
            control={form.control}
            name="legacy_area_code"
            label={t("households.legacyAreaCode")}
            help={t("households.legacyAreaCodeHelp")}
          >
            {(field, invalid) => (
              <Input
                {...field}
                status={invalid ? "error" : undefined}
                maxLength={16}
                style={{ width: 220 }}
              />
            )}
          </FormField>
          <Space>
            <Button type="primary" htmlType="submit" loading={mutation.isPending}>
              {t("common.save")}
            </Button>
            <Button
              onClick={() => void navigate({ to: "/households/$householdId", params: { householdId } })}
            >
              {t("common.cancel")}
            </Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
