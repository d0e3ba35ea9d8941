import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Checkbox, Form, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { OpenInspectionCaseButton } from "@/features/creates/dialogs";
import { EnumFilter } from "@/features/finance/ui";
import { formatDate } from "@/lib/format";
import { type Case, casesQuery } from "./queries";
import { CASE_KINDS, CASE_STATUSES, type CasesSearch } from "./search";

const route = getRouteApi("/inspection-cases/");

export function CaseStatusTag({ status }: { status: Case["status"] }) {
  const { t } = useTranslation();
  const color =
    status === "closed"
      ? "default"
      : status === "sanctioned"
        ? "red"
        : status === "in_progress"
          ? "gold"
          : "blue";
  return (
    <Tag color={color} data-testid="inspection-case-status">
      {t(`inspection.cases.statuses.${status}`)}
    </Tag>
  );
}

export function CasesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(casesQuery(api, search));
  const go = (next: CasesSearch) => navigate({ search: next });
  const apply = (changes: Partial<CasesSearch>) => go(cursorTrail.first({ ...search, ...changes }));
  const columns: ColumnsType<Case> = [
    {
      title: t("inspection.cases.caseTitle"),
      dataIndex: "title",
      render: (v: string, row) => (
        <Link to="/inspection-cases/$caseId" params={{ caseId: row.id }}>
          {v}
        </Link>
      ),
    },
    {
      title: t("inspection.cases.kind"),
      dataIndex: "kind",
      render: (v: Case["kind"]) => t(`inspection.cases.kinds.${v}`),
    },
    { title: t("inspection.cases.subject"), dataIndex: "subject" },
    {
      title: t("inspection.cases.status"),
      dataIndex: "status",
      width: 140,
      render: (v: Case["status"]) => <CaseStatusTag status={v} />,
    },
    {
      title: t("inspection.cases.due"),
      dataIndex: "due_on",
      width: 110,
      render: (v: string | null) => formatDate(v) || t("common.none"),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("inspection.cases.title")}
        subtitle={t("inspection.cases.subtitle")}
        extra={<OpenInspectionCaseButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("inspection.cases.status")}
            value={search.status}
            values={CASE_STATUSES}
            labelOf={(v) => t(`inspection.cases.statuses.${v}`)}
            onChange={(status) => apply({ status })}
          />
          <EnumFilter
            label={t("inspection.cases.kind")}
            value={search.kind}
            values={CASE_KINDS}
            labelOf={(v) => t(`inspection.cases.kinds.${v}`)}
            onChange={(kind) => apply({ kind })}
            width={260}
          />
          <Form.Item>
            <Checkbox
              checked={search.mine === "true"}
              onChange={(e) => apply({ mine: e.target.checked ? "true" : undefined })}
            >
              {t("inspection.cases.mine")}
            </Checkbox>
          </Form.Item>
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <KeysetList<Case, CasesSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1000}
        testId="inspection-cases"
      />
    </>
  );
}
