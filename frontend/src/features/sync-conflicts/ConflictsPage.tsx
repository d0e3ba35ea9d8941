import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Form, Input, Select, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi, useSession } from "@/app/services";
import { hasRole } from "@/auth/access";
import { ActionDialog } from "@/components/ActionDialog";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDateTime } from "@/lib/format";
import {
  type Conflict,
  conflictRows,
  conflictsKey,
  conflictsQuery,
  type Resolution,
  resolveConflict,
} from "./queries";
import { CLIENT_APPLIERS, conflictsScreen } from "./screen";
import { CONFLICT_STATUSES, type ConflictsSearch } from "./search";

const route = getRouteApi("/sync-conflicts");

export function ConflictsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { user } = useSession();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const query = useQuery(conflictsQuery(api, search));
  const go = (next: ConflictsSearch) => navigate({ search: next });
  const canWrite = useCanWrite(conflictsScreen);
  const canApply = hasRole(user, CLIENT_APPLIERS);
  const [pending, setPending] = useState<{ conflict: Conflict; resolution: Resolution } | null>(null);
  const [note, setNote] = useState("");
  const mutation = useMutation({
    mutationFn: (p: { id: string; resolution: Resolution }) => resolveConflict(api, p.id, p.resolution, note),
    onSuccess: async () => {
      setPending(null);
      setNote("");
      await queryClient.invalidateQueries({ queryKey: conflictsKey });
      void message.success(t("creates.conflicts.resolved"));
    },
  });

  const columns: ColumnsType<Conflict> = [
    {
      title: t("creates.conflicts.createdAt"),
      dataIndex: "created_at",
      width: 150,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t("creates.conflicts.entity"),
      key: "entity",
      width: 190,
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <span>{t(`creates.conflicts.entities.${row.entity_type}`)}</span>
          <Link to="/inspection-cases/$caseId" params={{ caseId: row.case_id }}>
            {t("creates.conflicts.openCase")}
          </Link>
        </Space>
      ),
    },
    {
      title: t("creates.conflicts.changes"),
      key: "changes",
      render: (_, row) => (
        <table className="conflict-diff" style={{ borderCollapse: "collapse", width: "100%" }}>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: "left" }}>
                {t("creates.conflicts.field")}
              </th>
              <th scope="col" style={{ textAlign: "left" }}>
                {t("creates.conflicts.device")}
              </th>
              <th scope="col" style={{ textAlign: "left" }}>
                {t("creates.conflicts.server")}
              </th>
            </tr>
          </thead>
          <tbody>
            {conflictRows(row).map((r) => (
              <tr key={r.field}>
                <td>
                  <Typography.Text code>{r.field}</Typography.Text>
                </td>
                <td>{r.differs ? <Typography.Text mark>{r.client}</Typography.Text> : r.client}</td>
                <td>{r.server}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ),
    },
    {
      title: t("creates.conflicts.status"),
      key: "status",
      width: 150,
      render: (_, row) =>
        row.status === "open" ? (
          <Tag color="orange">{t("creates.conflicts.statuses.open")}</Tag>
        ) : (
          <Tag color="green">
            {row.resolution
              ? t(`creates.conflicts.resolutions.${row.resolution}`)
              : t("creates.conflicts.statuses.resolved")}
          </Tag>
        ),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 200,
      render: (_, row) =>
        canWrite && row.status === "open" ? (
          <Space wrap>
            <Button size="small" onClick={() => setPending({ conflict: row, resolution: "keep_server" })}>
              {t("creates.conflicts.resolutions.keep_server")}
            </Button>
            {canApply ? (
              <Button size="small" onClick={() => setPending({ conflict: row, resolution: "apply_client" })}>
                {t("creates.conflicts.resolutions.apply_client")}
              </Button>
            ) : null}
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title={t("creates.conflicts.title")} subtitle={t("creates.conflicts.subtitle")} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("creates.conflicts.status")} htmlFor="conflict-status">
            <Select
              id="conflict-status"
              style={{ width: 180 }}
              value={search.status ?? "open"}
              options={CONFLICT_STATUSES.map((s) => ({
                value: s,
                label: t(`creates.conflicts.statuses.${s}`),
              }))}
              onChange={(status) => go(cursorTrail.first({ ...search, status }))}
            />
          </Form.Item>
        </Form>
      </Card>
      <KeysetList
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="id"
        testId="sync-conflicts"
      />
      <ActionDialog
        open={pending !== null}
        title={pending ? t(`creates.conflicts.resolutions.${pending.resolution}`) : ""}
        text={pending ? t(`creates.conflicts.confirm.${pending.resolution}`) : ""}
        loading={mutation.isPending}
        onConfirm={() =>
          pending && mutation.mutate({ id: pending.conflict.id, resolution: pending.resolution })
        }
        onCancel={() => {
          setPending(null);
          mutation.reset();
        }}
      >
        <Form layout="vertical">
          <Form.Item label={t("creates.conflicts.note")} htmlFor="conflict-note">
            <Input.TextArea
              id="conflict-note"
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </Form.Item>
        </Form>
        {mutation.isError ? <ProblemAlert error={mutation.error} /> : null}
      </ActionDialog>
    </>
  );
}
