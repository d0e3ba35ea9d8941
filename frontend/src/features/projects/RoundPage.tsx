import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Descriptions, Skeleton, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { ActionDialog } from "@/components/ActionDialog";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDate } from "@/lib/format";
import { drawRound, type RoundEntry, roundQuery, roundsKey } from "./queries";
import { roundsScreen } from "./screen";

const route = getRouteApi("/allocation-rounds/$roundId");

/** An allocation round: its priority quota and, once drawn, the places (priority first, then the
 * lottery in the order of its published seed). */
export function RoundPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { roundId } = route.useParams();
  const query = useQuery(roundQuery(api, roundId));
  const canDraw = useCanWrite(roundsScreen);
  const [drawing, setDrawing] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: (etag: string) => drawRound(api, roundId, etag),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setDrawing(false);
      void message.success(t("rounds.drawn"));
      await queryClient.invalidateQueries({ queryKey: roundsKey });
    },
    onError: (error) => {
      setDrawing(false);
      setProblem(toProblem(error));
    },
  });
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("rounds.title")} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  }
  if (!query.data) return <Skeleton active />;
  const r = query.data.data;
  const etag = query.data.etag ?? `W/"${r.version}"`;
  const columns: ColumnsType<RoundEntry> = [
    { title: t("rounds.place"), dataIndex: "place", width: 80 },
    {
      title: t("rounds.application"),
      dataIndex: "application_id",
      render: (id: string) => (
        <Link to="/applications/$applicationId" params={{ applicationId: id }}>
          {id.slice(0, 8)}…
        </Link>
      ),
    },
    {
      title: t("rounds.via"),
      dataIndex: "via",
      render: (v: string) => t(`rounds.vias.${v}` as "rounds.vias.lottery", { defaultValue: v }),
    },
    {
      title: t("rounds.priority"),
      dataIndex: "priority",
      render: (v: string | null) => v ?? t("common.none"),
    },
    {
      title: t("rounds.lotteryKey"),
      dataIndex: "lottery_key",
      render: (v: string | null) =>
        v ? <Typography.Text code>{v.slice(0, 16)}</Typography.Text> : t("common.none"),
    },
    {
      title: t("rounds.won"),
      dataIndex: "won",
      render: (won: boolean) =>
        won ? <Tag color="success">{t("rounds.winner")}</Tag> : <Tag>{t("rounds.notWon")}</Tag>,
    },
  ];
  return (
    <>
      <PageHeader
        title={t("rounds.title")}
        extra={
          <Link to="/housing-projects/$projectId" params={{ projectId: r.project_id }}>
            <Button>{t("rounds.toProject")}</Button>
          </Link>
        }
      />
      <ProblemAlert
        error={problem}
        onReload={
          problem && [409, 412, 428].includes(toProblem(problem).status)
            ? () => {
                setProblem(null);
                void query.refetch();
              }
            : undefined
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t("projects.roundStatus")}>
            {t(`projects.roundStatuses.${r.status}` as "projects.roundStatuses.open", {
              defaultValue: r.status,
            })}
          </Descriptions.Item>
          <Descriptions.Item label={t("projects.units")}>{r.units}</Descriptions.Item>
          <Descriptions.Item label={t("projects.drawnOn")}>
            {formatDate(r.drawn_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("rounds.dossiers")}>{r.dossiers ?? t("common.none")}</Descriptions.Item>
          <Descriptions.Item label={t("rounds.priorityDossiers")}>
            {r.priority_dossiers ?? t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("rounds.priorityQuota")}>
            {r.priority_quota ?? t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("rounds.seed")}>
            <Typography.Text code copyable>
              {r.published_seed}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("rounds.seedHash")}>
            <Typography.Text code>{r.seed_sha256.slice(0, 16)}…</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {canDraw && r.status === "open" ? (
          <Button type="primary" onClick={() => setDrawing(true)}>
            {t("rounds.draw")}
          </Button>
        ) : null}
      </Card>
      <Card size="small" title={t("rounds.results")}>
        <Table<RoundEntry>
          size="small"
          rowKey="application_id"
          columns={columns}
          dataSource={r.result ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t("rounds.notDrawn") }}
          data-testid="round-results"
        />
      </Card>
      <ActionDialog
        open={drawing}
        title={t("rounds.draw")}
        text={t("rounds.drawHint")}
        loading={mutation.isPending}
        onCancel={() => setDrawing(false)}
        onConfirm={() => mutation.mutate(etag)}
      />
    </>
  );
}
