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
import { FundingSourceForm } from "./FundingSourceForm";
import { fundingSourcesKey } from "./queries";
import {
  createBody,
  emptyFundingSource,
  FUNDING_SOURCE_FIELDS,
  type FundingSourceValues,
  fundingSourceSchema,
} from "./schema";

const DRAFT_KEY = "funding-source:new";

export function FundingSourceCreatePage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const provinces = provinceCodes(user);
  const areaNames = useAreaNames(provinces);
  const form = useForm<FundingSourceValues>({
    resolver: zodResolver(fundingSourceSchema),
    defaultValues: emptyFundingSource(provinces[0]),
  });
  const { restored } = useFormDraft(DRAFT_KEY, form, { ready: true });
  const discardDraft = useDiscardDraft(DRAFT_KEY);
  const [problem, setProblem] = useState<unknown>(null);

  const mutation = useMutation({
    mutationFn: (values: FundingSourceValues) =>
      unwrap(api.funding.POST("/v1/funding-sources", { body: createBody(values) })),
    onMutate: () => setProblem(null),
    onSuccess: async (created) => {
      discardDraft();
      form.reset(form.getValues());
      await queryClient.invalidateQueries({ queryKey: fundingSourcesKey });
      void message.success(t("common.created"));
      await navigate({ to: "/funding-sources/$sourceId", params: { sourceId: created.id } });
    },
    onError: (error) => {
      const p = toProblem(error);
      if (p.code === "funding_source_name_taken") {
        form.setError(
          "name",
          { type: "server", message: "problems.funding_source_name_taken" },
          { shouldFocus: true },
        );
      }
      applyServerErrors(p, form, FUNDING_SOURCE_FIELDS, i18n);
      setProblem(p);
    },
  });

  return (
    <>
      <PageHeader title={t("fundingSources.createTitle")} />
      <FundingSourceForm
        form={form}
        mode="create"
        provinceCodes={provinces}
        areaNames={areaNames}
        submitting={mutation.isPending}
        onSubmit={(values) => mutation.mutate(values)}
        onCancel={() => navigate({ to: "/funding-sources" })}
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
