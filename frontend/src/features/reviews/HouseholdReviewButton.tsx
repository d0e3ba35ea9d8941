/** From a household's page: record its result in the review open today (commune officers), with the
 * review's own dialog, the household fixed. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { App, Button, Space, Tooltip } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { localToday } from "@/features/households/dwelling";
import { currentCampaignQuery, reviewsKey } from "./queries";
import { RecordDialog } from "./RecordDialog";
import { RECORDERS } from "./screen";

export function HouseholdReviewButton({
  householdId,
  provinceCode,
  communeCode,
}: {
  householdId: string;
  provinceCode: string;
  communeCode: string;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canRecord = hasRole(user, RECORDERS);
  const campaign = useQuery({ ...currentCampaignQuery(api, provinceCode, localToday()), enabled: canRecord });
  const [open, setOpen] = useState(false);
  const [recorded, setRecorded] = useState(false);
  if (!canRecord) return null;
  const c = campaign.data;
  if (!c) {
    return (
      <Tooltip title={t("householdForms.review.noCampaignHelp")}>
        <Button disabled loading={campaign.isLoading}>
          {t("householdForms.review.noCampaign")}
        </Button>
      </Tooltip>
    );
  }
  return (
    <Space>
      <Button onClick={() => setOpen(true)}>{t("householdForms.review.record", { year: c.year })}</Button>
      {recorded ? (
        <Link
          to="/review-campaigns/$campaignId"
          params={{ campaignId: c.id }}
          search={{ commune_code: communeCode }}
          data-testid="review-recorded"
        >
          {t("householdForms.review.openCampaign", { year: c.year })}
        </Link>
      ) : null}
      <RecordDialog
        campaignId={c.id}
        householdId={householdId}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          setRecorded(true);
          void message.success(t("householdForms.review.done", { year: c.year }));
          void queryClient.invalidateQueries({ queryKey: [...reviewsKey, "one", c.id] });
        }}
      />
    </Space>
  );
}
