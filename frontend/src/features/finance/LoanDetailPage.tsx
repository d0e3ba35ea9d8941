import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Descriptions, Skeleton, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { useApi } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { SubListPager } from "@/components/SubListPager";
import { formatDate, formatDateTime } from "@/lib/format";
import { ELIGIBILITY_COLORS } from "./LoansPage";
import { type LoanEvent, loanEventsQuery, loanQuery } from "./queries";
import type { LoanSearch } from "./search";
import { Money } from "./ui";

const route = getRouteApi("/loans/$loanId");

export function LoanDetailPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { loanId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(loanQuery(api, loanId));
  const events = useQuery(loanEventsQuery(api, loanId, search.events_cursor));
  const back = (
    <Link to="/loans">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError)
    return (
      <>
        <PageHeader title={t("finance.loans.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  if (!query.data) return <Skeleton active />;
  const l = query.data;
  return (
    <>
      <PageHeader title={`${t("finance.loans.detailTitle")} ${l.bank_loan_ref}`} extra={back} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("finance.loans.borrower")}>
            {l.borrower_citizen_id_masked}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.purpose")}>
            {t(`finance.loans.purposes.${l.purpose}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.status")}>
            {t(`finance.loans.statuses.${l.status}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.eligibility")}>
            <Tag color={ELIGIBILITY_COLORS[l.eligibility_status]}>
              {t(`finance.loans.eligibilities.${l.eligibility_status}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.approved")}>
            <Money value={l.approved_amount_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.disbursed")}>
            <Money value={l.disbursed_vnd} />{" "}
            {l.first_disbursed_on ? `(${formatDate(l.first_disbursed_on)})` : ""}
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.outstanding")}>
            <Money value={l.outstanding_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.overdue")}>
            <Money value={l.overdue_vnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t("finance.loans.rate")}>
            {l.rate_bp === null ? t("common.none") : (l.rate_bp / 100).toFixed(2)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t("finance.loans.events")}>
        <ProblemAlert error={events.error} />
        <Table<LoanEvent>
          size="small"
          rowKey="id"
          pagination={false}
          loading={events.isFetching}
          dataSource={events.data?.items ?? []}
          columns={[
            { title: "#", dataIndex: "bank_sequence", width: 60 },
            {
              title: t("finance.loans.occurredAt"),
              dataIndex: "occurred_at",
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t("finance.loans.eventType"),
              dataIndex: "event_type",
              render: (v: LoanEvent["event_type"]) => t(`finance.loans.eventTypes.${v}`),
            },
            {
              title: t("finance.loans.amount"),
              dataIndex: "amount_vnd",
              align: "right",
              render: (v: number | null) => <Money value={v} />,
            },
          ]}
        />
        <SubListPager
          search={search}
          prefix="events"
          scope={loanId}
          nextCursor={events.data?.next_cursor}
          loading={events.isFetching}
          go={(next: LoanSearch) => navigate({ search: next })}
        />
      </Card>
    </>
  );
}
