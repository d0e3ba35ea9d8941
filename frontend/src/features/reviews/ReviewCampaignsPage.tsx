import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, InputNumber, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { OpenCampaignButton } from "@/features/creates/dialogs";
import { formatDate } from "@/lib/format";
import { type Campaign, campaignsQuery } from "./queries";
import type { CampaignsSearch } from "./search";

const route = getRouteApi("/review-campaigns/");

export function ReviewCampaignsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(campaignsQuery(api, search));
  const go = (next: CampaignsSearch) => navigate({ search: next });
  const columns: ColumnsType<Campaign> = [
    {
      title: t("reviews.year"),
      dataIndex: "year",
      width: 100,
      render: (year: number, row) => (
        <Link to="/review-campaigns/$campaignId" params={{ campaignId: row.id }}>
          {t("reviews.campaignOf", { year })}
        </Link>
      ),
    },
    { title: t("reviews.province"), dataIndex: "province_code", width: 120 },
    {
      title: t("reviews.window"),
      key: "window",
      render: (_, row) => `${formatDate(row.window_opens_on)} – ${formatDate(row.window_closes_on)}`,
    },
    {
      title: t("common.actions"),
      key: "open",
      width: 120,
      render: (_, row) => (
        <Link to="/review-campaigns/$campaignId" params={{ campaignId: row.id }}>
          {t("reviews.open")}
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("reviews.title")}
        subtitle={t("reviews.subtitle")}
        extra={<OpenCampaignButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("reviews.year")} htmlFor="review-year">
            <InputNumber
              id="review-year"
              min={2000}
              max={2100}
              value={search.year ?? null}
              onChange={(year) => go(cursorTrail.first({ ...search, year: year ?? undefined }))}
            />
          </Form.Item>
          <Space>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
      </Card>
      <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" />
    </>
  );
}
