import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { NewCommercialProjectButton } from "@/features/creates/landReserve";
import { EnumFilter } from "@/features/finance/ui";
import { type CommercialProject, commercialProjectsQuery } from "./queries";
import { PROJECT_KINDS, type ProjectsSearch } from "./search";

const route = getRouteApi("/commercial-projects");

export function ProjectsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(commercialProjectsQuery(api, search));
  const go = (next: ProjectsSearch) => navigate({ search: next });
  const columns: ColumnsType<CommercialProject> = [
    { title: t("inspection.projects.name"), dataIndex: "name" },
    { title: t("inspection.projects.investor"), dataIndex: "investor_name" },
    {
      title: t("inspection.projects.kind"),
      dataIndex: "kind",
      width: 150,
      render: (v: CommercialProject["kind"]) => t(`inspection.projects.kinds.${v}`),
    },
    {
      title: t("inspection.projects.residentialLand"),
      dataIndex: "residential_land_m2",
      align: "right",
      width: 140,
    },
    { title: t("inspection.projects.commune"), dataIndex: "commune_code", width: 80 },
    {
      title: t("inspection.projects.obligations"),
      key: "obligations",
      width: 120,
      render: (_, row) => (
        <Link to="/land-reserve-obligations" search={{ commercial_project_id: row.id }}>
          {t("inspection.obligations.open")}
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("inspection.projects.title")}
        subtitle={t("inspection.projects.subtitle")}
        extra={<NewCommercialProjectButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("inspection.projects.kind")}
            value={search.kind}
            values={PROJECT_KINDS}
            labelOf={(v) => t(`inspection.projects.kinds.${v}`)}
            onChange={(kind) => go(cursorTrail.first({ ...search, kind }))}
          />
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <KeysetList<CommercialProject, ProjectsSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1000}
        testId="commercial-projects"
      />
    </>
  );
}
