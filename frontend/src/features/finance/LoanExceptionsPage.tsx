import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Form, Space, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { ActionDialog } from "@/components/ActionDialog";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDateTime } from "@/lib/format";
import { closeException, exceptionsQuery, financeKey, type LoanException } from "./queries";
import { loanExceptionsScreen, loansScreen } from "./screen";
import { EXCEPTION_REASONS, EXCEPTION_STATUSES, type ExceptionsSearch } from "./search";
import { EnumFilter } from "./ui";

const route = getRouteApi("/loan-exceptions");
type Act = "resolve" | "dismiss";

export function LoanExceptionsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const canWrite = useCanWrite(loanExceptionsScreen);
  const canLoans = useCanWrite({ ...loansScreen, write: loansScreen.read });
  const query = useQuery(exceptionsQuery(api, search));
  const [pending, setPending] = useState<{ id: string; act: Act } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const go = (next: ExceptionsSearch) => navigate({ search: next });
  const apply = (changes: Partial<ExceptionsSearch>) => go(cursorTrail.first({ ...search, ...changes }));
  const mutation = useMutation({
    mutationFn: ({ id, act, reason }: { id: string; act: Act; reason: string }) =>
      closeException(api, id, act, reason),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setPending(null);
      void message.success(t("finance.exceptions.done"));
      await queryClient.invalidateQueries({ queryKey: financeKey });
    },
    onError: (e) => {
      setPending(null);
      setProblem(toProblem(e));
    },
  });
  const columns: ColumnsType<LoanException> = [
    {
      title: t("finance.exceptions.createdAt"),
      dataIndex: "created_at",
      width: 150,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t("finance.exceptions.reason"),
      dataIndex: "reason",
      render: (v: LoanException["reason"]) => t(`finance.exceptions.reasons.${v}`),
    },
    {
      title: t("finance.exceptions.status"),
      dataIndex: "status",
      render: (v: LoanException["status"]) => (
        <Tag color={v === "open" ? "orange" : "default"}>{t(`finance.exceptions.statuses.${v}`)}</Tag>
      ),
    },
    {
      title: t("finance.exceptions.note"),
      dataIndex: "resolution_note",
      render: (v: string | null) => v ?? t("common.none"),
    },
    {
      title: t("finance.exceptions.loan"),
      dataIndex: "loan_id",
      render: (v: string) =>
        canLoans ? (
          <Link to="/loans/$loanId" params={{ loanId: v }}>
            {t("finance.loans.open")}
          </Link>
        ) : (
          v.slice(0, 8)
        ),
    },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_, row) =>
        canWrite && row.status === "open" ? (
          <Space>
            <Button size="small" type="primary" onClick={() => setPending({ id: row.id, act: "resolve" })}>
              {t("finance.exceptions.resolve")}
            </Button>
            <Button size="small" onClick={() => setPending({ id: row.id, act: "dismiss" })}>
              {t("finance.exceptions.dismiss")}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <>
      <PageHeader title={t("finance.exceptions.title")} subtitle={t("finance.exceptions.subtitle")} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("finance.exceptions.reason")}
            value={search.reason}
            values={EXCEPTION_REASONS}
            labelOf={(v) => t(`finance.exceptions.reasons.${v}`)}
            onChange={(reason) => apply({ reason })}
            width={260}
          />
          <EnumFilter
            label={t("finance.exceptions.status")}
            value={search.status}
            values={EXCEPTION_STATUSES}
            labelOf={(v) => t(`finance.exceptions.statuses.${v}`)}
            onChange={(status) => apply({ status })}
          />
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <ProblemAlert error={problem} />
      <KeysetList<LoanException, ExceptionsSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1000}
        testId="loan-exceptions"
      />
      <ActionDialog
        open={pending !== null}
        title={pending ? t(`finance.exceptions.${pending.act}`) : ""}
        text={
          pending?.act === "dismiss"
            ? t("finance.exceptions.confirmDismiss")
            : t("finance.exceptions.confirmResolve")
        }
        needsReason
        reasonLabel={t("finance.exceptions.note")}
        loading={mutation.isPending}
        onConfirm={(reason) => pending && mutation.mutate({ ...pending, reason })}
        onCancel={() => setPending(null)}
      />
    </>
  );
}
