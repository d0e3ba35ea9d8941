import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, Select } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { CommuneSelect } from "@/components/CommuneSelect";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { NewProjectButton } from "@/features/creates/dialogs";
import { formatNumber } from "@/lib/format";
import { type Project, projectsQuery } from "./queries";
import { PROJECT_KINDS, type ProjectsSearch } from "./search";

const route = getRouteApi("/housing-projects/");

export function ProjectsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(projectsQuery(api, search));
  const go = (next: ProjectsSearch) => navigate({ search: next });
  const columns: ColumnsType<Project> = [
    {
      title: t("projects.name"),
      dataIndex: "name",
      render: (name: string, row) => (
        <Link to="/housing-projects/$projectId" params={{ projectId: row.id }}>
          {name}
        </Link>
      ),
    },
    { title: t("projects.investor"), dataIndex: "investor" },
    {
      title: t("projects.kind"),
      dataIndex: "kind",
      width: 170,
      render: (k: Project["kind"]) => t(`projects.kinds.${k}`),
    },
    {
      title: t("projects.units"),
      dataIndex: "planned_units_total",
      width: 110,
      align: "right",
      render: (v: number) => formatNumber(v, i18n.language),
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 110 },
    {
      title: t("projects.stage"),
      key: "stage",
      width: 150,
      render: (_, p) =>
        t(
          p.handed_over_on
            ? "projects.milestones.handed_over"
            : p.completed_on
              ? "projects.milestones.completed"
              : p.started_on
                ? "projects.milestones.started"
                : p.approved_on
                  ? "projects.milestones.approved"
                  : "projects.notApproved",
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("projects.title")}
        subtitle={t("projects.subtitle")}
        extra={<NewProjectButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t("projects.kind")}>
            <Select
              aria-label={t("projects.kind")}
              style={{ width: 220 }}
              value={search.kind ?? ""}
              onChange={(kind) =>
                go(cursorTrail.first({ ...search, kind: (kind || undefined) as ProjectsSearch["kind"] }))
              }
              options={[
                { value: "", label: t("common.all") },
                ...PROJECT_KINDS.map((value) => ({ value, label: t(`projects.kinds.${value}`) })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t("households.commune")}>
            <CommuneSelect
              label={t("households.commune")}
              value={search.commune_code}
              onChange={(commune_code) => go(cursorTrail.first({ ...search, commune_code }))}
            />
          </Form.Item>
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" scrollX={1000} />
    </>
  );
}
