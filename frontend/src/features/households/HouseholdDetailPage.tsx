import { EyeInvisibleOutlined, EyeOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Button, Card, Descriptions, Skeleton, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { useAreaNames } from "@/features/admin-units/queries";
import { HouseholdReviewButton } from "@/features/reviews/HouseholdReviewButton";
import { ProposeSupportCaseButton } from "@/features/support-cases/ProposeButton";
import { formatDate, formatNumber } from "@/lib/format";
import { AddDwellingButton, AssessDwellingButton } from "./DwellingDialogs";
import {
  type Category,
  categoriesQuery,
  currentDwellingQuery,
  householdQuery,
  type Person,
  type SupportHistoryRow,
  supportHistoryQuery,
} from "./queries";
import { RevealDialog } from "./RevealDialog";
import { householdsScreen } from "./screen";

const route = getRouteApi("/households/$householdId");

/** How long a revealed number stays on screen. */
export const REVEAL_SECONDS = 30;

const CLASS_COLORS = { temporary: "red", dilapidated: "orange", adequate: "green" } as const;

export function HouseholdDetailPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { householdId } = route.useParams();
  const canReveal = useCanWrite(householdsScreen);
  const household = useQuery(householdQuery(api, householdId));
  const categories = useQuery(categoriesQuery(api, householdId));
  const dwelling = useQuery(currentDwellingQuery(api, householdId));
  const history = useQuery(supportHistoryQuery(api, householdId));
  const areaNames = useAreaNames(household.data ? [household.data.commune_code] : []);
  const [asking, setAsking] = useState<Person | null>(null);
  const [revealed, setRevealed] = useState<{ personId: string; value: string } | null>(null);

  useEffect(() => {
    if (!revealed) return;
    const timer = window.setTimeout(() => setRevealed(null), REVEAL_SECONDS * 1000);
    return () => window.clearTimeout(timer);
  }, [revealed]);

  const back = (
    <Link to="/households">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (household.isError) {
    return (
      <>
        <PageHeader title={t("households.detailTitle")} extra={back} />
        <ProblemAlert error={household.error} onReload={() => void household.refetch()} />
      </>
    );
  }
  const h = household.data;
  if (!h) return <Skeleton active />;
  const members = h.members;
  const names = Object.fromEntries(members.map((m) => [m.id, m.full_name]));
  const head = members.find((m) => m.id === h.head_person_id);

  const memberColumns: ColumnsType<Person> = [
    { title: t("households.fullName"), dataIndex: "full_name" },
    {
      title: t("households.relationship"),
      dataIndex: "relationship",
      width: 140,
      render: (value: Person["relationship"]) => t(`households.relationships.${value}`),
    },
    {
      title: t("households.birth"),
      key: "birth",
      width: 120,
      render: (_, p) => (p.date_of_birth ? formatDate(p.date_of_birth) : p.birth_year),
    },
    {
      title: t("households.gender"),
      dataIndex: "gender",
      width: 90,
      render: (value: Person["gender"]) => t(`households.genders.${value}`),
    },
    {
      title: t("households.citizenId"),
      key: "citizen_id",
      width: 330,
      render: (_, p) => {
        if (!p.citizen_id_masked) return t("common.none");
        const shown = revealed?.personId === p.id ? revealed.value : null;
        return (
          <Space>
            <Typography.Text code data-testid={`citizen-id-${p.id}`}>
              {shown ?? p.citizen_id_masked}
            </Typography.Text>
            {shown ? (
              <Button size="small" icon={<EyeInvisibleOutlined />} onClick={() => setRevealed(null)}>
                {t("households.hide")}
              </Button>
            ) : canReveal ? (
              <Button size="small" icon={<EyeOutlined />} onClick={() => setAsking(p)}>
                {t("households.reveal")}
              </Button>
            ) : null}
            {shown ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("households.revealedFor", { seconds: REVEAL_SECONDS })}
              </Typography.Text>
            ) : null}
          </Space>
        );
      },
    },
  ];
  const categoryColumns: ColumnsType<Category> = [
    {
      title: t("households.categoryKind"),
      key: "kind",
      render: (_, c) => (
        <>
          {t(`households.categoryKinds.${c.kind}`)}
          {c.merit_type ? ` — ${t(`households.meritTypes.${c.merit_type}`)}` : ""}
          {c.year ? ` (${c.year})` : ""}
        </>
      ),
    },
    {
      title: t("households.categoryPerson"),
      dataIndex: "person_id",
      width: 200,
      render: (id: string | null) =>
        id ? (names[id] ?? t("households.formerMember")) : t("households.wholeHousehold"),
    },
    {
      title: t("households.certificate"),
      key: "certificate",
      width: 260,
      render: (_, c) => `${c.certificate_number} — ${formatDate(c.certificate_date)}, ${c.issuer}`,
    },
    {
      title: t("households.validity"),
      key: "validity",
      width: 200,
      render: (_, c) =>
        `${formatDate(c.valid_from)} – ${c.valid_to ? formatDate(c.valid_to) : t("households.openEnded")}`,
    },
  ];
  const historyColumns: ColumnsType<SupportHistoryRow> = [
    {
      title: t("supportCases.stream"),
      dataIndex: "stream",
      // A support case links to it; a housing contract or resale (social housing) has no page here.
      render: (value: SupportHistoryRow["stream"], row) =>
        row.support_case_id ? (
          <Link to="/support-cases/$caseId" params={{ caseId: row.support_case_id }}>
            {t(`supportCases.streams.${value}`)}
          </Link>
        ) : (
          t(`supportCases.streams.${value}`)
        ),
    },
    {
      title: t("supportCases.kind"),
      dataIndex: "kind",
      width: 140,
      render: (value: SupportHistoryRow["kind"]) => t(`supportCases.kinds.${value}`),
    },
    {
      title: t("supportCases.amount"),
      dataIndex: "amount_vnd",
      width: 150,
      render: (value: number) => `${formatNumber(value, i18n.language)} ₫`,
    },
    {
      title: t("supportCases.proposedOn"),
      dataIndex: "proposed_on",
      width: 130,
      render: (value: string) => formatDate(value),
    },
    {
      title: t("households.outcome"),
      dataIndex: "outcome",
      width: 150,
      render: (value: SupportHistoryRow["outcome"]) => <Tag>{t(`households.outcomes.${value}`)}</Tag>,
    },
    {
      title: t("households.endedOn"),
      dataIndex: "ended_on",
      width: 130,
      render: (value: string | null) => (value ? formatDate(value) : t("common.none")),
    },
  ];

  const current = dwelling.data;
  return (
    <>
      <PageHeader
        title={t("households.detailTitle")}
        subtitle={head?.full_name}
        extra={
          <Space wrap>
            {h.closed_on ? null : (
              <HouseholdReviewButton
                householdId={householdId}
                provinceCode={h.province_code}
                communeCode={h.commune_code}
              />
            )}
            {canReveal ? (
              <Link to="/households/$householdId/edit" params={{ householdId }}>
                <Button type="primary">{t("common.edit")}</Button>
              </Link>
            ) : null}
            {back}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("households.address")}>
            {h.address}
            {h.hamlet ? `, ${h.hamlet}` : ""}
          </Descriptions.Item>
          <Descriptions.Item label={t("households.commune")}>
            {areaNames[h.commune_code] ? `${areaNames[h.commune_code]} (${h.commune_code})` : h.commune_code}
          </Descriptions.Item>
          <Descriptions.Item label={t("households.residenceArea")}>
            {t(`households.residenceAreas.${h.residence_area}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("households.status")}>
            {h.closed_on ? `${t("households.closed")} (${formatDate(h.closed_on)})` : t("households.open")}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card size="small" title={t("households.members")} style={{ marginBottom: 16 }}>
        <Table<Person>
          rowKey="id"
          columns={memberColumns}
          dataSource={members}
          pagination={false}
          locale={{ emptyText: t("paging.empty") }}
          scroll={{ x: 900 }}
          data-testid="members"
        />
      </Card>

      <Card size="small" title={t("households.categories")} style={{ marginBottom: 16 }}>
        {categories.isError ? <ProblemAlert error={categories.error} /> : null}
        <Table<Category>
          rowKey="id"
          columns={categoryColumns}
          dataSource={categories.data?.items ?? []}
          loading={categories.isFetching}
          pagination={false}
          locale={{ emptyText: t("households.noCategories") }}
          scroll={{ x: 900 }}
        />
      </Card>

      <Card
        size="small"
        title={t("households.dwelling")}
        style={{ marginBottom: 16 }}
        data-testid="dwelling"
        extra={
          canReveal && !h.closed_on ? (
            <Space>
              {current?.dwelling ? (
                <AssessDwellingButton householdId={householdId} dwellingId={current.dwelling.id} />
              ) : null}
              <AddDwellingButton householdId={householdId} />
            </Space>
          ) : null
        }
      >
        {dwelling.isError ? <ProblemAlert error={dwelling.error} /> : null}
        {dwelling.isLoading ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
        {current && !current.dwelling ? (
          <Typography.Text>{t("households.noDwelling")}</Typography.Text>
        ) : null}
        {current?.dwelling ? (
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t("households.dwellingSince")}>
              {formatDate(current.dwelling.since)}
            </Descriptions.Item>
            <Descriptions.Item label={t("households.builtYear")}>
              {current.dwelling.built_year ?? t("common.none")}
            </Descriptions.Item>
            <Descriptions.Item label={t("households.classification")}>
              {current.assessment ? (
                <Tag color={CLASS_COLORS[current.assessment.classification]}>
                  {t(`households.classes.${current.assessment.classification}`)}
                </Tag>
              ) : (
                t("households.notAssessed")
              )}
            </Descriptions.Item>
            {current.assessment ? (
              <Descriptions.Item label={t("households.assessedOn")}>
                {formatDate(current.assessment.assessed_on)} ({current.assessment.rule_set_code})
                {current.assessment.qualifies ? "" : ` — ${t("households.notQualifying")}`}
              </Descriptions.Item>
            ) : null}
            {/* Criteria: older answers (and partial fakes) may lack the list. */}
            {current.assessment?.criteria?.length ? (
              <Descriptions.Item label={t("householdForms.dwelling.criteria")}>
                {current.assessment.criteria
                  .map((code) =>
                    t(
                      `householdForms.dwelling.criteriaCodes.${code}` as "householdForms.dwelling.criteriaCodes.area_family",
                      {
                        defaultValue: code,
                      },
                    ),
                  )
                  .join("; ")}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        ) : null}
      </Card>

      <Card
        size="small"
        title={t("households.supportHistory")}
        extra={h.closed_on ? null : <ProposeSupportCaseButton householdId={householdId} />}
      >
        {history.isError ? <ProblemAlert error={history.error} /> : null}
        <Table<SupportHistoryRow>
          rowKey="id"
          columns={historyColumns}
          dataSource={history.data?.items ?? []}
          loading={history.isFetching}
          pagination={false}
          locale={{ emptyText: t("households.noSupport") }}
          scroll={{ x: 900 }}
        />
      </Card>

      <RevealDialog
        person={asking}
        onClose={() => setAsking(null)}
        onRevealed={(personId, value) => {
          setAsking(null);
          setRevealed({ personId, value });
        }}
      />
    </>
  );
}
