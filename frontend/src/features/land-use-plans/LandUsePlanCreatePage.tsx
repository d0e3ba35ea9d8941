import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Alert, App } from "antd";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem, unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { provinceCodes } from "@/auth/claims";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useAreaNames } from "@/features/admin-units/queries";
import { applyServerErrors, useDiscardDraft, useFormDraft } from "@/lib/forms";
import { LandUsePlanForm } from "./LandUsePlanForm";
import { landUsePlansKey } from "./queries";
import {
  createBody,
  emptyLandUsePlan,
  LAND_USE_PLAN_FIELDS,
  type LandUsePlanValues,
  landUsePlanSchema,
} from "./schema";

const DRAFT_KEY = "land-use-plan:new";

export function LandUsePlanCreatePage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const provinces = provinceCodes(user);
  const areaNames = useAreaNames(provinces);
  const form = useForm<LandUsePlanValues>({
    resolver: zodResolver(landUsePlanSchema),
    defaultValues: emptyLandUsePlan(provinces[0]),
  });
  const { restored } = useFormDraft(DRAFT_KEY, form, { ready: true });
  const discardDraft = useDiscardDraft(DRAFT_KEY);
  const [problem, setProblem] = useState<unknown>(null);

  const mutation = useMutation({
    mutationFn: (values: LandUsePlanValues) =>
      unwrap(api.inspection.POST("/v1/land-use-plans", { body: createBody(values) })),
    onMutate: () => setProblem(null),
    onSuccess: async (created) => {
      discardDraft();
      form.reset(form.getValues());
      await queryClient.invalidateQueries({ queryKey: landUsePlansKey });
      void message.success(t("common.created"));
      await navigate({ to: "/land-use-plans/$planId", params: { planId: created.id } });
    },
    onError: (error) => {
      const p = toProblem(error);
      if (p.code === "commune_not_in_province") {
        form.setError("commune_code", { type: "server", message: "problems.commune_not_in_province" });
      }
      applyServerErrors(p, form, LAND_USE_PLAN_FIELDS, i18n);
      setProblem(p);
    },
  });

  return (
    <>
      <PageHeader title={t("landUsePlans.createTitle")} />
      <LandUsePlanForm
        form={form}
        mode="create"
        provinceCodes={provinces}
        areaNames={areaNames}
        submitting={mutation.isPending}
        onSubmit={(values) => mutation.mutate(values)}
        onCancel={() => navigate({ to: "/land-use-plans" })}
        notices={
          <>
            {restored ? (
              <Alert type="info" showIcon title={t("common.draftRestored")} style={{ marginBottom: 16 }} />
            ) : null}
            <ProblemAlert error={problem} />
          </>
        }
      />
    </>
  );
}
