import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Checkbox, Form, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { NewObligationButton } from "@/features/creates/landReserve";
import { EnumFilter, Money } from "@/features/finance/ui";
import { formatDate } from "@/lib/format";
import { type Obligation, obligationsQuery } from "./queries";
import { METHODS, OBLIGATION_STATUSES, type ObligationsSearch } from "./search";

const route = getRouteApi("/land-reserve-obligations/");

export function ObligationsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(obligationsQuery(api, search));
  const go = (next: ObligationsSearch) => navigate({ search: next });
  const apply = (changes: Partial<ObligationsSearch>) => go(cursorTrail.first({ ...search, ...changes }));
  const today = new Date().toISOString().slice(0, 10);
  const columns: ColumnsType<Obligation> = [
    {
      title: t("inspection.obligations.decidedOn"),
      dataIndex: "decided_on",
      width: 130,
      render: (v: string, row) => (
        <Link to="/land-reserve-obligations/$obligationId" params={{ obligationId: row.id }}>
          {formatDate(v)}
        </Link>
      ),
    },
    {
      title: t("inspection.obligations.method"),
      dataIndex: "method",
      render: (v: Obligation["method"]) => t(`inspection.obligations.methods.${v}`),
    },
    {
      title: t("inspection.obligations.status"),
      dataIndex: "status",
      render: (v: Obligation["status"]) => t(`inspection.obligations.statuses.${v}`),
    },
    { title: t("inspection.obligations.requiredArea"), dataIndex: "required_area_m2", align: "right" },
    {
      title: t("inspection.obligations.moneyDue"),
      dataIndex: "money_due_vnd",
      align: "right",
      render: (v: number | null) => <Money value={v} />,
    },
    {
      title: t("inspection.obligations.dueOn"),
      dataIndex: "due_on",
      render: (v: string | null) =>
        v ? <Tag color={v < today ? "red" : "default"}>{formatDate(v)}</Tag> : t("common.none"),
    },
    { title: t("inspection.projects.commune"), dataIndex: "commune_code", width: 80 },
  ];
  return (
    <>
      <PageHeader
        title={t("inspection.obligations.title")}
        subtitle={t("inspection.obligations.subtitle")}
        extra={<NewObligationButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("inspection.obligations.status")}
            value={search.status}
            values={OBLIGATION_STATUSES}
            labelOf={(v) => t(`inspection.obligations.statuses.${v}`)}
            onChange={(status) => apply({ status })}
            width={230}
          />
          <EnumFilter
            label={t("inspection.obligations.method")}
            value={search.method}
            values={METHODS}
            labelOf={(v) => t(`inspection.obligations.methods.${v}`)}
            onChange={(method) => apply({ method })}
            width={230}
          />
          <Form.Item>
            <Checkbox
              checked={search.overdue === "true"}
              onChange={(e) => apply({ overdue: e.target.checked ? "true" : undefined })}
            >
              {t("inspection.obligations.overdue")}
            </Checkbox>
          </Form.Item>
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <KeysetList<Obligation, ObligationsSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1000}
        testId="obligations"
      />
    </>
  );
}
