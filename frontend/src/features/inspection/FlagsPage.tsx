import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Form, Input, Modal, Select, Space, Tag, Typography } from "antd";
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
import { EnumFilter } from "@/features/finance/ui";
import { formatDateTime } from "@/lib/format";
import { evidenceLines } from "./flagEvidence";
import { type CaseKind, confirmFlag, dismissFlag, type Flag, flagsQuery, inspectionKey } from "./queries";
import { casesScreen, flagsScreen } from "./screen";
import { CASE_KINDS, FLAG_KINDS, FLAG_STATUSES, type FlagsSearch } from "./search";

const route = getRouteApi("/profiteering-flags");
const STATUS_COLORS: Record<Flag["status"], string> = {
  open: "orange",
  confirmed: "red",
  dismissed: "default",
};

export function FlagsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const canWrite = useCanWrite(flagsScreen);
  const canSeeCases = useCanWrite({ ...casesScreen, write: casesScreen.read });
  const query = useQuery(flagsQuery(api, search));
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [caseKind, setCaseKind] = useState<CaseKind>("construction_check");
  const [title, setTitle] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const go = (next: FlagsSearch) => navigate({ search: next });
  const apply = (changes: Partial<FlagsSearch>) => go(cursorTrail.first({ ...search, ...changes }));
  const done = async (text: string) => {
    void message.success(text);
    await queryClient.invalidateQueries({ queryKey: inspectionKey });
  };
  const dismiss = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => dismissFlag(api, id, reason),
    onMutate: () => setProblem(null),
    onSuccess: () => done(t("inspection.flags.dismissed")),
    onError: (e) => setProblem(toProblem(e)),
    onSettled: () => setDismissing(null),
  });
  const confirm = useMutation({
    mutationFn: (id: string) => confirmFlag(api, id, caseKind, title),
    onMutate: () => setProblem(null),
    onSuccess: () => done(t("inspection.flags.confirmed")),
    onError: (e) => setProblem(toProblem(e)),
    onSettled: () => setConfirming(null),
  });

  const columns: ColumnsType<Flag> = [
    {
      title: t("inspection.flags.observedAt"),
      dataIndex: "observed_at",
      width: 150,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t("inspection.flags.kind"),
      dataIndex: "kind",
      render: (v: Flag["kind"]) => t(`inspection.flags.kinds.${v}`),
    },
    {
      title: t("inspection.flags.source"),
      dataIndex: "source",
      width: 140,
      render: (v: Flag["source"]) => t(`inspection.flags.sources.${v}`),
    },
    { title: t("inspection.flags.commune"), dataIndex: "commune_code", width: 80 },
    {
      title: t("inspection.flags.evidence"),
      dataIndex: "evidence",
      render: (v: Record<string, unknown>, row) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {row.dismissed_reason
            ? `${t("inspection.flags.dismissedReason")}: ${row.dismissed_reason}`
            : evidenceLines(v, t, i18n)
                .map((line) => `${line.label}: ${line.value}`)
                .join("; ")}
        </Typography.Text>
      ),
    },
    {
      title: t("inspection.flags.status"),
      dataIndex: "status",
      width: 130,
      render: (v: Flag["status"]) => (
        <Tag color={STATUS_COLORS[v]}>{t(`inspection.flags.statuses.${v}`)}</Tag>
      ),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 200,
      fixed: "right",
      render: (_, row) =>
        row.case_id && canSeeCases ? (
          <Link to="/inspection-cases/$caseId" params={{ caseId: row.case_id }}>
            {t("inspection.flags.openCase")}
          </Link>
        ) : canWrite && row.status === "open" ? (
          <Space orientation="vertical" size={4}>
            <Button size="small" type="primary" onClick={() => setConfirming(row.id)}>
              {t("inspection.flags.confirm")}
            </Button>
            <Button size="small" onClick={() => setDismissing(row.id)}>
              {t("inspection.flags.dismiss")}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title={t("inspection.flags.title")} subtitle={t("inspection.flags.subtitle")} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <EnumFilter
            label={t("inspection.flags.status")}
            value={search.status}
            values={FLAG_STATUSES}
            labelOf={(v) => t(`inspection.flags.statuses.${v}`)}
            onChange={(status) => apply({ status })}
          />
          <EnumFilter
            label={t("inspection.flags.kind")}
            value={search.kind}
            values={FLAG_KINDS}
            labelOf={(v) => t(`inspection.flags.kinds.${v}`)}
            onChange={(kind) => apply({ kind })}
            width={280}
          />
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
      </Card>
      <ProblemAlert error={problem} />
      <KeysetList<Flag, FlagsSearch>
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        scrollX={1050}
        testId="flags"
      />
      <ActionDialog
        open={dismissing !== null}
        title={t("inspection.flags.dismiss")}
        text={t("inspection.flags.dismissText")}
        needsReason
        loading={dismiss.isPending}
        onConfirm={(reason) => dismissing && dismiss.mutate({ id: dismissing, reason })}
        onCancel={() => setDismissing(null)}
      />
      <Modal
        open={confirming !== null}
        title={t("inspection.flags.confirm")}
        okText={t("inspection.flags.confirm")}
        cancelText={t("common.cancel")}
        confirmLoading={confirm.isPending}
        onOk={() => confirming && confirm.mutate(confirming)}
        onCancel={() => setConfirming(null)}
        destroyOnHidden
      >
        <p>{t("inspection.flags.confirmText")}</p>
        <Form layout="vertical">
          <Form.Item label={t("inspection.flags.caseKind")} htmlFor="flag-case-kind" required>
            <Select
              id="flag-case-kind"
              value={caseKind}
              onChange={setCaseKind}
              options={CASE_KINDS.map((k) => ({ value: k, label: t(`inspection.cases.kinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item label={t("inspection.flags.caseTitle")} htmlFor="flag-case-title">
            <Input
              id="flag-case-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={200}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
