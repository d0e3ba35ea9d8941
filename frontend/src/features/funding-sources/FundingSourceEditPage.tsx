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
import { FundingSourceForm } from "./FundingSourceForm";
import { fundingSourceQuery, fundingSourcesKey } from "./queries";
import {
  emptyFundingSource,
  FUNDING_SOURCE_FIELDS,
  type FundingSourceValues,
  fundingSourceSchema,
  fundingSourceValues,
  updateBody,
} from "./schema";

const route = getRouteApi("/funding-sources/$sourceId");

export function FundingSourceEditPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { sourceId } = route.useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const options = fundingSourceQuery(api, sourceId);
  const query = useQuery(options);
  const form = useForm<FundingSourceValues>({
    resolver: zodResolver(fundingSourceSchema),
    defaultValues: emptyFundingSource(),
  });
  const draftKey = `funding-source:${sourceId}`;
  const edit = useEditableResource({ query, form, toValues: fundingSourceValues, draftKey });
  const discardDraft = useDiscardDraft(draftKey);
  const areaNames = useAreaNames(query.data ? [query.data.data.province_code] : []);
  const [problem, setProblem] = useState<unknown>(null);

  const mutation = useMutation({
    mutationFn: async (values: FundingSourceValues) => {
      const body = updateBody(values, edit.initial ?? values);
      return unwrapWithEtag(
        api.funding.PATCH("/v1/funding-sources/{source_id}", {
          params: { path: { source_id: sourceId }, header: { "If-Match": edit.etag } },
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
      await queryClient.invalidateQueries({ queryKey: [...fundingSourcesKey, "list"] });
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

  const back = (
    <Link to="/funding-sources">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("fundingSources.editTitle")} extra={back} />
        <ProblemAlert error={query.error} />
      </>
    );
  }
  if (!edit.ready) return <Skeleton active />;
  return (
    <>
      <PageHeader title={t("fundingSources.editTitle")} subtitle={query.data?.data.name} extra={back} />
      <FundingSourceForm
        form={form}
        mode="edit"
        provinceCodes={[]}
        areaNames={areaNames}
        submitting={mutation.isPending}
        onSubmit={(values) => mutation.mutate(values)}
        onCancel={() => navigate({ to: "/funding-sources" })}
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
