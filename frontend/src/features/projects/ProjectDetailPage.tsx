import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Row,
  Skeleton,
  Space,
  Steps,
  Table,
  Tag,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { ActionDialog } from "@/components/ActionDialog";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { OpenRoundButton, SalePublicationButton } from "@/features/creates/dialogs";
import { formatDate, formatNumber } from "@/lib/format";
import {
  type Milestone,
  nextMilestone,
  projectQuery,
  projectsKey,
  type Round,
  recordMilestone,
  roundsQuery,
} from "./queries";
import { projectsScreen, ROUND_READERS } from "./screen";
import { MILESTONES } from "./search";

const route = getRouteApi("/housing-projects/$projectId");
const DATE_OF: Record<Milestone, "approved_on" | "started_on" | "completed_on" | "handed_over_on"> = {
  approved: "approved_on",
  started: "started_on",
  completed: "completed_on",
  handed_over: "handed_over_on",
};

export function ProjectDetailPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { projectId } = route.useParams();
  const options = projectQuery(api, projectId);
  const query = useQuery(options);
  const canWrite = useCanWrite(projectsScreen);
  const showRounds = hasRole(user, ROUND_READERS);
  const rounds = useQuery({ ...roundsQuery(api, projectId), enabled: showRounds });
  const [recording, setRecording] = useState<Milestone | null>(null);
  const [on, setOn] = useState<Dayjs | null>(dayjs());
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: ({ milestone, etag }: { milestone: Milestone; etag: string }) =>
      recordMilestone(api, projectId, etag, milestone, (on ?? dayjs()).format("YYYY-MM-DD")),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setRecording(null);
      void message.success(t("common.saved"));
      await queryClient.invalidateQueries({ queryKey: projectsKey });
    },
    onError: (error) => {
      setRecording(null);
      setProblem(toProblem(error));
    },
  });
  const back = (
    <Link to="/housing-projects">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("projects.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  }
  if (!query.data) return <Skeleton active />;
  const p = query.data.data;
  const etag = query.data.etag ?? `W/"${p.version}"`;
  const next = nextMilestone(p);
  const stale = problem !== null && [409, 412, 428].includes(toProblem(problem).status);
  const roundColumns: ColumnsType<Round> = [
    {
      title: t("projects.round"),
      dataIndex: "created_at",
      render: (value: string, r) => (
        <Link to="/allocation-rounds/$roundId" params={{ roundId: r.id }}>
          {formatDate(value)}
        </Link>
      ),
    },
    {
      title: t("projects.tenure"),
      dataIndex: "tenure",
      render: (v: string) =>
        t(`applications.tenures.${v}` as "applications.tenures.buy", { defaultValue: v }),
    },
    { title: t("projects.units"), dataIndex: "units", align: "right" },
    {
      title: t("projects.roundStatus"),
      dataIndex: "status",
      render: (v: string) => (
        <Tag>{t(`projects.roundStatuses.${v}` as "projects.roundStatuses.open", { defaultValue: v })}</Tag>
      ),
    },
    {
      title: t("projects.drawnOn"),
      dataIndex: "drawn_on",
      render: (v: string | null) => formatDate(v) || t("common.none"),
    },
  ];
  return (
    <>
      <PageHeader
        title={p.name}
        subtitle={`${t(`projects.kinds.${p.kind}`)} — ${p.investor}`}
        extra={
          <>
            <OpenRoundButton projectId={p.id} />
            {back}
          </>
        }
      />
      <ProblemAlert
        error={problem}
        onReload={
          stale
            ? () => {
                setProblem(null);
                void query.refetch();
              }
            : undefined
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t("projects.detailTitle")}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t("projects.address")}>{p.address}</Descriptions.Item>
              <Descriptions.Item label={t("households.commune")}>{p.commune_code}</Descriptions.Item>
              <Descriptions.Item label={t("projects.landArea")}>
                {formatNumber(p.land_area_m2, i18n.language)} m²
              </Descriptions.Item>
              <Descriptions.Item label={t("projects.units")}>
                {formatNumber(p.planned_units_total, i18n.language)}
              </Descriptions.Item>
              <Descriptions.Item label={t("projects.sale")}>
                {p.sale_published_on
                  ? t("projects.saleLine", {
                      on: formatDate(p.sale_published_on),
                      where: p.sale_published_where,
                      opens: formatDate(p.sale_opens_on),
                      closes: formatDate(p.sale_closes_on),
                    })
                  : t("common.none")}
              </Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey={(u) => `${u.unit_kind}-${u.floor_area_band}`}
              dataSource={p.planned_units}
              pagination={false}
              columns={[
                {
                  title: t("projects.unitKind"),
                  dataIndex: "unit_kind",
                  render: (v: string) => t(`projects.unitKinds.${v}` as "projects.unitKinds.apartment"),
                },
                {
                  title: t("projects.floorBand"),
                  dataIndex: "floor_area_band",
                  render: (v: string) => t(`projects.floorBands.${v}` as "projects.floorBands.under_45"),
                },
                { title: t("projects.units"), dataIndex: "units", align: "right" },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t("projects.milestonesTitle")} data-testid="milestones">
            <Steps
              direction="vertical"
              size="small"
              current={next ? MILESTONES.indexOf(next) : MILESTONES.length}
              items={MILESTONES.map((m) => ({
                title: t(`projects.milestones.${m}`),
                description: formatDate(p[DATE_OF[m]]) || t("projects.notYet"),
              }))}
            />
            <Space wrap>
              {canWrite && next ? (
                <Button type="primary" onClick={() => setRecording(next)}>
                  {t("projects.recordMilestone", { milestone: t(`projects.milestones.${next}`) })}
                </Button>
              ) : null}
              <SalePublicationButton key={etag} project={p} etag={etag} />
            </Space>
          </Card>
        </Col>
        {showRounds ? (
          <Col xs={24}>
            <Card size="small" title={t("projects.rounds")}>
              {rounds.isError ? (
                <ProblemAlert error={rounds.error} onReload={() => void rounds.refetch()} />
              ) : null}
              <Table<Round>
                size="small"
                rowKey="id"
                columns={roundColumns}
                dataSource={rounds.data?.items ?? []}
                loading={rounds.isFetching}
                pagination={false}
                locale={{ emptyText: t("paging.empty") }}
              />
            </Card>
          </Col>
        ) : null}
      </Row>
      <ActionDialog
        open={recording !== null}
        title={
          recording ? t("projects.recordMilestone", { milestone: t(`projects.milestones.${recording}`) }) : ""
        }
        text={t("projects.milestoneHint")}
        loading={mutation.isPending}
        onCancel={() => setRecording(null)}
        onConfirm={() => recording && mutation.mutate({ milestone: recording, etag })}
      >
        <Form layout="vertical">
          <Form.Item label={t("projects.milestoneOn")} htmlFor="milestone-on" required>
            <DatePicker id="milestone-on" format="DD/MM/YYYY" value={on} onChange={(d) => setOn(d)} />
          </Form.Item>
        </Form>
      </ActionDialog>
    </>
  );
}
