import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { useCanWrite } from "@/components/RequireScreen";
import { NewApplicationButton } from "@/features/creates/evidence";
import { formatDate } from "@/lib/format";
import { type ApplicationRow, type ApplicationStatus, applicationsQuery } from "./queries";
import { applicationsScreen } from "./screen";
import { APPLICATION_STATUSES, type ApplicationsSearch } from "./search";

const route = getRouteApi("/applications/");
const COLORS: Record<ApplicationStatus, string> = {
  draft: "default",
  submitted: "processing",
  eligible: "success",
  ineligible: "error",
  allocated: "purple",
  withdrawn: "default",
};

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="application-status">
      {t(`applications.statuses.${status}`)}
    </Tag>
  );
}

export function ApplicationsPage() {
  const { t } = useTranslation();
  const canWrite = useCanWrite(applicationsScreen);
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(applicationsQuery(api, search));
  const go = (next: ApplicationsSearch) => navigate({ search: next });
  const columns: ColumnsType<ApplicationRow> = [
    {
      title: t("applications.createdAt"),
      dataIndex: "created_at",
      width: 130,
      render: (v: string, row) => (
        <Link to="/applications/$applicationId" params={{ applicationId: row.id }}>
          {formatDate(v)}
        </Link>
      ),
    },
    {
      title: t("applications.tenure"),
      dataIndex: "tenure",
      render: (v: ApplicationRow["tenure"]) => t(`applications.tenures.${v}`),
    },
    {
      title: t("applications.status"),
      dataIndex: "status",
      render: (s: ApplicationStatus) => <ApplicationStatusTag status={s} />,
    },
    {
      title: t("applications.submittedOn"),
      dataIndex: "submitted_on",
      render: (v: string | null) => formatDate(v) || t("common.none"),
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 110 },
  ];
  return (
    <>
      <PageHeader
        title={t("applications.title")}
        subtitle={t("applications.subtitle")}
        extra={<NewApplicationButton canWrite={canWrite} />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("applications.status")}>
            <Select
              aria-label={t("applications.status")}
              style={{ width: 200 }}
              value={search.status ?? ""}
              onChange={(status) =>
                go(
                  cursorTrail.first({
                    ...search,
                    status: (status || undefined) as ApplicationsSearch["status"],
                  }),
                )
              }
              options={[
                { value: "", label: t("common.all") },
                ...APPLICATION_STATUSES.map((value) => ({
                  value,
                  label: t(`applications.statuses.${value}`),
                })),
              ]}
            />
          </Form.Item>
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" scrollX={800} />
    </>
  );
}
