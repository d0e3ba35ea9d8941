import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { OpenRoundButton } from "@/features/creates/dialogs";
import { formatDate } from "@/lib/format";
import { allRoundsQuery, type Round } from "./queries";
import type { RoundsSearch } from "./search";

const route = getRouteApi("/allocation-rounds/");

/** Every allocation round of the area, newest first as the service lists them. */
export function RoundsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(allRoundsQuery(api, search));
  const go = (next: RoundsSearch) => navigate({ search: next });
  const columns: ColumnsType<Round> = [
    {
      title: t("projects.round"),
      dataIndex: "created_at",
      render: (value: string, r) => (
        <Link to="/allocation-rounds/$roundId" params={{ roundId: r.id }}>
          {formatDate(value)}
        </Link>
      ),
    },
    {
      title: t("projects.tenure"),
      dataIndex: "tenure",
      render: (v: string) =>
        t(`applications.tenures.${v}` as "applications.tenures.buy", { defaultValue: v }),
    },
    { title: t("projects.units"), dataIndex: "units", align: "right" },
    {
      title: t("projects.roundStatus"),
      dataIndex: "status",
      render: (v: string) => (
        <Tag>{t(`projects.roundStatuses.${v}` as "projects.roundStatuses.open", { defaultValue: v })}</Tag>
      ),
    },
    {
      title: t("projects.drawnOn"),
      dataIndex: "drawn_on",
      render: (v: string | null) => formatDate(v) || t("common.none"),
    },
    {
      title: t("rounds.toProject"),
      dataIndex: "project_id",
      render: (id: string) => (
        <Link to="/housing-projects/$projectId" params={{ projectId: id }}>
          {t("applications.openProject")}
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("rounds.listTitle")}
        subtitle={t("rounds.listSubtitle")}
        extra={<OpenRoundButton />}
      />
      <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" scrollX={800} />
    </>
  );
}
