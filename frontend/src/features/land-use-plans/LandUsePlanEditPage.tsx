import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { Alert, App, Button, Skeleton } from "antd";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem, unwrapWithEtag } from "@/api/problem";
import { useApi } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useAreaNames } from "@/features/admin-units/queries";
import { useEditableResource } from "@/lib/editing";
import { applyServerErrors, useDiscardDraft } from "@/lib/forms";
import { LandUsePlanForm } from "./LandUsePlanForm";
import { landUsePlanQuery, landUsePlansKey } from "./queries";
import {
  emptyLandUsePlan,
  LAND_USE_PLAN_FIELDS,
  type LandUsePlanValues,
  landUsePlanSchema,
  landUsePlanValues,
  updateBody,
} from "./schema";

const route = getRouteApi("/land-use-plans/$planId");

export function LandUsePlanEditPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { planId } = route.useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const options = landUsePlanQuery(api, planId);
  const query = useQuery(options);
  const form = useForm<LandUsePlanValues>({
    resolver: zodResolver(landUsePlanSchema),
    defaultValues: emptyLandUsePlan(),
  });
  const draftKey = `land-use-plan:${planId}`;
  const edit = useEditableResource({ query, form, toValues: landUsePlanValues, draftKey });
  const discardDraft = useDiscardDraft(draftKey);
  const plan = query.data?.data;
  const areaNames = useAreaNames(
    plan ? [plan.province_code, ...(plan.commune_code ? [plan.commune_code] : [])] : [],
  );
  const [problem, setProblem] = useState<unknown>(null);

  const mutation = useMutation({
    mutationFn: async (values: LandUsePlanValues) => {
      const body = updateBody(values, edit.initial ?? values);
      return unwrapWithEtag(
        api.inspection.PATCH("/v1/land-use-plans/{plan_id}", {
          params: { path: { plan_id: planId }, header: { "If-Match": edit.etag } },
          body,
        }),
      );
    },
    onMutate: () => setProblem(null),
    onSuccess: async (result) => {
      queryClient.setQueryData(options.queryKey, result);
      edit.accept(result);
      discardDraft();
      void message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: [...landUsePlansKey, "list"] });
    },
    onError: (error) => {
      const p = toProblem(error);
      applyServerErrors(p, form, LAND_USE_PLAN_FIELDS, i18n);
      setProblem(p);
    },
  });

  const back = (
    <Link to="/land-use-plans">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("landUsePlans.editTitle")} extra={back} />
        <ProblemAlert error={query.error} />
      </>
    );
  }
  if (!edit.ready) return <Skeleton active />;
  return (
    <>
      <PageHeader title={t("landUsePlans.editTitle")} subtitle={query.data?.data.name} extra={back} />
      <LandUsePlanForm
        form={form}
        mode="edit"
        provinceCodes={[]}
        areaNames={areaNames}
        submitting={mutation.isPending}
        onSubmit={(values) => mutation.mutate(values)}
        onCancel={() => navigate({ to: "/land-use-plans" })}
        notices={
          <>
            {edit.restored ? (
              <Alert type="info" showIcon title={t("common.draftRestored")} style={{ marginBottom: 16 }} />
            ) : null}
            <ProblemAlert
              error={problem}
              onReload={
                toProblem(problem).status === 412 || toProblem(problem).status === 428
                  ? () => {
                      setProblem(null);
                      void edit.reload();
                    }
                  : undefined
              }
            />
          </>
        }
      />
    </>
  );
}
