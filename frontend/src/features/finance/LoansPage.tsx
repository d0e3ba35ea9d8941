import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Form, Space, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { type Loan, loansQuery } from "./queries";
import { ELIGIBILITIES, LOAN_STATUSES, type LoansSearch } from "./search";
import { EnumFilter, Money } from "./ui";

const route = getRouteApi("/loans/");
export const ELIGIBILITY_COLORS: Record<Loan["eligibility_status"], string> = {
  pending: "default",
  confirmed: "green",
  ineligible: "red",
  unknown_borrower: "orange",
};

export function LoansPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(loansQuery(api, search));
  const go = (next: LoansSearch) => navigate({ search: next });
  const apply = (changes: Partial<LoansSearch>) => go(cursorTrail.first({ ...search, ...changes }));
  const columns: ColumnsType<Loan> = [
    {
      title: t("finance.loans.ref"),
      dataIndex: "bank_loan_ref",
      render: (v: string, row) => (
        <Link to="/loans/$loanId" params={{ loanId: row.id }}>
          {v}
        </Link>
      ),
    },
    { title: t("finance.loans.borrower"), dataIndex: "borrower_citizen_id_masked" },
    {
      title: t("finance.loans.purpose"),
      dataIndex: "purpose",
      render: (v: Loan["purpose"]) => t(`finance.loans.purposes.${v}`),
    },
    {
      title: t("finance.loans.status"),
      dataIndex: "status",
      render: (v: Loan["status"]) => t(`finance.loans.statuses.${v}`),
    },
    {
      title: t("finance.loans.eligibility"),
      dataIndex: "eligibility_status",
      render: (v: Loan["eligibility_status"]) => (
        <Tag color={ELIGIBILITY_COLORS[v]}>{t(`finance.loans.eligibilities.${v}`)}</Tag>
      ),
    },
    {
      title: t("finance.loans.outstanding"),
      dataIndex: "outstanding_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
    {
      title: t("finance.loans.overdue"),
      dataIndex: "overdue_vnd",
      align: "right",
      render: (v: number) => <Money value={v} />,
    },
  ];
  return (
    <>
      <PageHeader title={t("finance.loans.title")} subtitle={t("finance.loans.subtitle")} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("finance.loans.status")}
            value={search.status}
            values={LOAN_STATUSES}
            labelOf={(v) => t(`finance.loans.statuses.${v}`)}
            onChange={(status) => apply({ status })}
          />
          <EnumFilter
            label={t("finance.loans.eligibility")}
            value={search.eligibility_status}
            values={ELIGIBILITIES}
            labelOf={(v) => t(`finance.loans.eligibilities.${v}`)}
            onChange={(eligibility_status) => apply({ eligibility_status })}
          />
          <Space>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
      </Card>
      <KeysetList<Loan, LoansSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1000}
        testId="loans"
      />
    </>
  );
}
