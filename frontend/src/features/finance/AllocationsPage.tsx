import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, Input, Space, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDate } from "@/lib/format";
import { type Allocation, allocationsQuery } from "./queries";
import { allocationsScreen } from "./screen";
import { type AllocationsSearch, TARGETS } from "./search";
import { EnumFilter, Money } from "./ui";

const route = getRouteApi("/allocations/");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const LINE_COLORS: Record<Allocation["status"], string> = {
  allocated: "blue",
  partially_disbursed: "gold",
  disbursed: "green",
  cancelled: "default",
};

export function AllocationsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const canWrite = useCanWrite(allocationsScreen);
  const query = useQuery(allocationsQuery(api, search));
  const go = (next: AllocationsSearch) => navigate({ search: next });
  const apply = (changes: Partial<AllocationsSearch>) => go(cursorTrail.first({ ...search, ...changes }));

  const columns: ColumnsType<Allocation> = [
    {
      title: t("finance.allocations.decisionNumber"),
      dataIndex: "decision_number",
      render: (v: string, row) => (
        <Link to="/allocations/$allocationId" params={{ allocationId: row.id }}>
          {v}
        </Link>
      ),
    },
    {
      title: t("finance.allocations.decisionDate"),
      dataIndex: "decision_date",
      width: 120,
      render: (v: string) => formatDate(v),
    },
    {
      title: t("finance.allocations.target"),
      dataIndex: "target_kind",
      render: (v: Allocation["target_kind"], row) => (
        <>
          {t(`finance.targets.${v}`)}
          {row.programme ? ` — ${row.programme}` : ""}
        </>
      ),
    },
    {
      title: t("finance.source"),
      dataIndex: "source_kind",
      render: (v: Allocation["source_kind"]) => t(`finance.sourceKinds.${v}`),
    },
    {
      title: t("finance.allocations.amount"),
      dataIndex: "amount_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    {
      title: t("finance.allocations.disbursed"),
      dataIndex: "disbursed_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    {
      title: t("finance.allocations.status"),
      dataIndex: "status",
      render: (v: Allocation["status"]) => <Tag color={LINE_COLORS[v]}>{t(`finance.lineStatuses.${v}`)}</Tag>,
    },
    { title: t("finance.allocations.commune"), dataIndex: "commune_code", width: 90 },
  ];

  return (
    <>
      <PageHeader
        title={t("finance.allocations.title")}
        subtitle={t("finance.allocations.subtitle")}
        extra={
          canWrite ? (
            <Link
              to="/allocations/new"
              search={search.support_case_id ? { support_case_id: search.support_case_id } : {}}
            >
              <Button type="primary">{t("finance.allocations.create")}</Button>
            </Link>
          ) : null
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("finance.allocations.target")}
            value={search.target_kind}
            values={TARGETS}
            labelOf={(v) => t(`finance.targets.${v}`)}
            onChange={(target_kind) => apply({ target_kind })}
          />
          <Form.Item label={t("finance.allocations.supportCaseId")}>
            <Input.Search
              aria-label={t("finance.allocations.supportCaseId")}
              style={{ width: 340 }}
              defaultValue={search.support_case_id}
              allowClear
              onSearch={(v) => apply({ support_case_id: UUID.test(v.trim()) ? v.trim() : undefined })}
            />
          </Form.Item>
          <Space>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
      </Card>
      <KeysetList<Allocation, AllocationsSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1100}
        testId="allocations"
      />
    </>
  );
}
