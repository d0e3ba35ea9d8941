import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { toProblem } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { CommuneSelect } from "@/components/CommuneSelect";
import { KeysetList, REASON_MAX, REASON_MIN, reasonValid } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { formatDate, formatNumber } from "@/lib/format";
import {
  type CommuneProgress,
  campaignQuery,
  progressQuery,
  type RecordMode,
  type ReviewRecord,
  type ReviewState,
  recordMode,
  recordsQuery,
  reviewsKey,
  runSetAction,
  type SetAction,
  setActions,
} from "./queries";
import { RecordDialog } from "./RecordDialog";
import { DECIDERS, RECORDERS } from "./screen";
import { type CampaignSearch, STATES } from "./search";

const route = getRouteApi("/review-campaigns/$campaignId");
const STATE_COLORS: Record<ReviewState, string> = {
  draft: "default",
  submitted: "processing",
  approved: "success",
  returned: "warning",
};

export function StateTag({ state }: { state: ReviewState | null }) {
  const { t } = useTranslation();
  if (!state) return <Tag>{t("reviews.states.none")}</Tag>;
  return <Tag color={STATE_COLORS[state]}>{t(`reviews.states.${state}`)}</Tag>;
}

export function ReviewCampaignPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { campaignId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: CampaignSearch) => navigate({ search: next });
  const campaign = useQuery(campaignQuery(api, campaignId));
  const progress = useQuery(progressQuery(api, campaignId));
  const records = useQuery(recordsQuery(api, campaignId, search));
  const canRecord = hasRole(user, RECORDERS);
  const canDecide = hasRole(user, DECIDERS);
  const [recording, setRecording] = useState(false);
  const [editing, setEditing] = useState<{ record: ReviewRecord; mode: Exclude<RecordMode, null> } | null>(
    null,
  );
  const [pending, setPending] = useState<{ commune: string; action: SetAction } | null>(null);
  const [reason, setReason] = useState("");
  const [reasonInvalid, setReasonInvalid] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const n = (value: number) => formatNumber(value, i18n.language);

  const step = useMutation({
    mutationFn: ({ commune, action }: { commune: string; action: SetAction }) =>
      runSetAction(api, campaignId, commune, action, action === "return" ? reason.trim() : undefined),
    onMutate: () => setProblem(null),
    onSuccess: async (_r, { action }) => {
      setPending(null);
      setReason("");
      void message.success(t(`reviews.done.${action}`));
      await queryClient.invalidateQueries({ queryKey: [...reviewsKey, "one", campaignId] });
    },
    onError: (error) => {
      setPending(null);
      setProblem(toProblem(error));
    },
  });

  const progressColumns: ColumnsType<CommuneProgress> = [
    { title: t("households.commune"), dataIndex: "commune_code", width: 110 },
    {
      title: t("reviews.setState"),
      dataIndex: "submission_state",
      width: 140,
      render: (state: ReviewState | null) => <StateTag state={state} />,
    },
    { title: t("reviews.reviewed"), dataIndex: "households_reviewed", align: "right", render: n },
    { title: t("reviews.states.draft"), dataIndex: "draft", align: "right", render: n },
    { title: t("reviews.states.submitted"), dataIndex: "submitted", align: "right", render: n },
    { title: t("reviews.states.approved"), dataIndex: "approved", align: "right", render: n },
    { title: t("reviews.states.returned"), dataIndex: "returned", align: "right", render: n },
    { title: t("reviews.corrections"), dataIndex: "corrections", align: "right", render: n },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_, row) => (
        <Space wrap>
          <Button
            size="small"
            onClick={() => go(cursorTrail.first({ ...search, commune_code: row.commune_code }))}
          >
            {t("reviews.showRecords")}
          </Button>
          {setActions(row.submission_state, row.draft + row.returned, canRecord, canDecide).map((action) => (
            <Button
              key={action}
              size="small"
              type={action === "return" ? "default" : "primary"}
              danger={action === "return"}
              loading={
                step.isPending &&
                step.variables?.commune === row.commune_code &&
                step.variables.action === action
              }
              onClick={() => {
                setProblem(null);
                setPending({ commune: row.commune_code, action });
              }}
            >
              {t(`reviews.actions.${action}`)}
            </Button>
          ))}
        </Space>
      ),
    },
  ];

  const recordColumns: ColumnsType<ReviewRecord> = [
    { title: t("households.commune"), dataIndex: "commune_code", width: 100 },
    {
      title: t("reviews.household"),
      dataIndex: "household_id",
      render: (id: string) => (
        <Link to="/households/$householdId" params={{ householdId: id }}>
          {t("reviews.openHousehold")}
        </Link>
      ),
    },
    {
      title: t("reviews.kind"),
      dataIndex: "kind",
      render: (k: ReviewRecord["kind"]) => t(`reviews.kinds.${k}`),
    },
    {
      title: t("reviews.change"),
      key: "change",
      render: (_, r) =>
        `${t(`reviews.statuses.${r.status_before}`)} → ${t(`reviews.statuses.${r.status_after}`)}`,
    },
    { title: t("reviews.meetingHeldOn"), dataIndex: "meeting_held_on", render: (d: string) => formatDate(d) },
    {
      title: t("reviews.meetingAgreement"),
      dataIndex: "meeting_agreement_pct",
      align: "right",
      render: (v) => `${v}%`,
    },
    { title: t("reviews.setState"), dataIndex: "state", render: (s: ReviewState) => <StateTag state={s} /> },
    {
      title: t("common.actions"),
      key: "record-actions",
      width: 110,
      render: (_, r) => {
        const mode = recordMode(r, canRecord);
        return mode ? (
          <Button size="small" onClick={() => setEditing({ record: r, mode })}>
            {t(`creates.record.${mode}`)}
          </Button>
        ) : null;
      },
    },
  ];

  const back = (
    <Link to="/review-campaigns">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (campaign.isError) {
    return (
      <>
        <PageHeader title={t("reviews.detailTitle")} extra={back} />
        <ProblemAlert error={campaign.error} onReload={() => void campaign.refetch()} />
      </>
    );
  }
  if (!campaign.data) return <Skeleton active />;
  const c = campaign.data;
  const confirm = () => {
    if (!pending) return;
    if (pending.action === "return" && !reasonValid(reason)) {
      setReasonInvalid(true);
      return;
    }
    setReasonInvalid(false);
    step.mutate(pending);
  };
  const stale = (() => {
    const p = problem ? toProblem(problem) : null;
    return p !== null && (p.status === 412 || p.status === 428 || p.status === 409);
  })();

  return (
    <>
      <PageHeader
        title={t("reviews.campaignOf", { year: c.year })}
        subtitle={t("reviews.subtitle")}
        extra={
          <Space>
            {canRecord ? (
              <Button type="primary" onClick={() => setRecording(true)}>
                {t("reviews.record")}
              </Button>
            ) : null}
            {back}
          </Space>
        }
      />
      <ProblemAlert
        error={problem}
        onReload={
          stale
            ? () => {
                setProblem(null);
                void progress.refetch();
              }
            : undefined
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t("reviews.province")}>{c.province_code}</Descriptions.Item>
          <Descriptions.Item label={t("reviews.window")}>
            {formatDate(c.window_opens_on)} – {formatDate(c.window_closes_on)}
          </Descriptions.Item>
          <Descriptions.Item label={t("reviews.openedBy")}>{c.opened_by}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t("reviews.progress")} style={{ marginBottom: 16 }}>
        {progress.isError ? (
          <ProblemAlert error={progress.error} onReload={() => void progress.refetch()} />
        ) : null}
        <Table<CommuneProgress>
          rowKey="commune_code"
          size="small"
          columns={progressColumns}
          dataSource={progress.data?.communes ?? []}
          loading={progress.isFetching}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: t("paging.empty") }}
          scroll={{ x: 1000 }}
          data-testid="review-progress"
        />
      </Card>
      <Card size="small" title={t("reviews.records")}>
        <Form layout="inline" style={{ rowGap: 8, marginBottom: 12 }}>
          <Form.Item label={t("households.commune")}>
            <CommuneSelect
              label={t("households.commune")}
              value={search.commune_code}
              onChange={(commune_code) => go(cursorTrail.first({ ...search, commune_code }))}
            />
          </Form.Item>
          <Form.Item label={t("reviews.setState")}>
            <Select
              aria-label={t("reviews.setState")}
              style={{ width: 170 }}
              value={search.state ?? ""}
              onChange={(state) =>
                go(cursorTrail.first({ ...search, state: (state || undefined) as CampaignSearch["state"] }))
              }
              options={[
                { value: "", label: t("common.all") },
                ...STATES.map((value) => ({ value, label: t(`reviews.states.${value}`) })),
              ]}
            />
          </Form.Item>
          <Button onClick={() => go({})}>{t("common.clear")}</Button>
        </Form>
        <KeysetList
          query={records}
          search={search}
          go={go}
          columns={recordColumns}
          rowKey="id"
          scrollX={900}
        />
      </Card>

      <RecordDialog
        key={editing?.record.id ?? "new"}
        campaignId={campaignId}
        open={recording || editing !== null}
        editing={editing}
        onClose={() => {
          setRecording(false);
          setEditing(null);
        }}
        onSaved={() => {
          setRecording(false);
          void message.success(
            editing
              ? t(editing.mode === "edit" ? "creates.record.saved" : "creates.record.corrected")
              : t("reviews.done.record"),
          );
          setEditing(null);
          void queryClient.invalidateQueries({ queryKey: [...reviewsKey, "one", campaignId] });
        }}
      />
      <Modal
        open={pending !== null}
        title={pending ? `${t(`reviews.actions.${pending.action}`)} — ${pending.commune}` : ""}
        okText={pending ? t(`reviews.actions.${pending.action}`) : ""}
        okButtonProps={{ danger: pending?.action === "return" }}
        cancelText={t("common.cancel")}
        onOk={confirm}
        onCancel={() => {
          setPending(null);
          setReasonInvalid(false);
        }}
        confirmLoading={step.isPending}
        destroyOnHidden
      >
        <p>{pending ? t(`reviews.confirm.${pending.action}`) : ""}</p>
        {pending?.action === "return" ? (
          <Form layout="vertical">
            <Form.Item
              label={t("reviews.returnReason")}
              required
              htmlFor="return-reason"
              validateStatus={reasonInvalid ? "error" : undefined}
              help={
                reasonInvalid
                  ? t("supportCases.reasonInvalid", { min: REASON_MIN, max: REASON_MAX })
                  : undefined
              }
            >
              <Input.TextArea
                id="return-reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                rows={3}
                maxLength={REASON_MAX}
              />
            </Form.Item>
          </Form>
        ) : null}
      </Modal>
    </>
  );
}
