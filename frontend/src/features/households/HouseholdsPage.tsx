import { PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Alert, Button, Card, Form, Input, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { CommuneSelect } from "@/components/CommuneSelect";
import { KeysetPager } from "@/components/KeysetPager";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { type HouseholdRow, householdsQuery, type PersonHit } from "./queries";
import { householdsScreen } from "./screen";
import type { HouseholdsSearch } from "./search";

const route = getRouteApi("/households/");

export function HouseholdsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(householdsQuery(api, search));
  const canRegister = useCanWrite(householdsScreen);
  const [typed, setTyped] = useState(search.q ?? "");
  useEffect(() => setTyped(search.q ?? ""), [search.q]);
  const go = (next: HouseholdsSearch) => navigate({ search: next });
  const applyFilters = (changes: Partial<HouseholdsSearch>) =>
    go(cursorTrail.first({ ...search, ...changes }));

  const householdColumns: ColumnsType<HouseholdRow> = [
    {
      title: t("households.address"),
      key: "address",
      render: (_, h) => (
        <Link to="/households/$householdId" params={{ householdId: h.id }}>
          {h.address}
          {h.hamlet ? `, ${h.hamlet}` : ""}
        </Link>
      ),
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 120 },
    {
      title: t("households.residenceArea"),
      dataIndex: "residence_area",
      width: 140,
      render: (value: HouseholdRow["residence_area"]) => t(`households.residenceAreas.${value}`),
    },
    {
      title: t("households.status"),
      dataIndex: "closed_on",
      width: 140,
      render: (closed: string | null) =>
        closed ? <Tag>{t("households.closed")}</Tag> : <Tag color="green">{t("households.open")}</Tag>,
    },
  ];
  const personColumns: ColumnsType<PersonHit> = [
    {
      title: t("households.fullName"),
      dataIndex: "full_name",
      render: (name: string, p) => (
        <Link to="/households/$householdId" params={{ householdId: p.household_id }}>
          {name}
        </Link>
      ),
    },
    {
      title: t("households.relationship"),
      dataIndex: "relationship",
      width: 150,
      render: (value: PersonHit["relationship"]) => t(`households.relationships.${value}`),
    },
    { title: t("households.birthYear"), dataIndex: "birth_year", width: 110 },
    {
      title: t("households.citizenId"),
      dataIndex: "citizen_id_masked",
      width: 160,
      render: (value: string | null) => <span className="masked-id">{value ?? t("common.none")}</span>,
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 110 },
    {
      title: t("households.match"),
      dataIndex: "match",
      width: 150,
      render: (value: PersonHit["match"]) => <Tag>{t(`households.matches.${value}`)}</Tag>,
    },
  ];

  const data = query.data;
  const page = search.page ?? 1;
  const previous = cursorTrail.previous(search);
  const common = {
    rowKey: "id",
    loading: query.isFetching,
    pagination: false as const,
    locale: { emptyText: t("paging.empty") },
    scroll: { x: 900 },
  };
  return (
    <>
      <PageHeader
        title={t("households.title")}
        subtitle={t("households.subtitle")}
        extra={
          canRegister ? (
            <Link to="/households/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("householdForms.register.button")}
              </Button>
            </Link>
          ) : null
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          onFinish={() => applyFilters({ q: typed.trim() || undefined })}
          style={{ rowGap: 8 }}
        >
          <Form.Item label={t("households.nameSearch")}>
            <Input
              aria-label={t("households.nameSearch")}
              placeholder={t("households.nameSearchPlaceholder")}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              allowClear
              style={{ width: 280 }}
              maxLength={200}
            />
          </Form.Item>
          <Form.Item label={t("households.commune")}>
            <CommuneSelect
              label={t("households.commune")}
              value={search.commune_code}
              onChange={(commune_code) => applyFilters({ commune_code })}
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t("households.search")}
            </Button>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
        <Alert type="info" showIcon={false} title={t("households.searchHint")} style={{ marginTop: 12 }} />
      </Card>
      {query.isError ? (
        <ProblemAlert
          error={query.error}
          onReload={() => (search.cursor ? go(cursorTrail.first(search)) : void query.refetch())}
        />
      ) : null}
      {search.q ? (
        <Table<PersonHit>
          {...common}
          columns={personColumns}
          dataSource={data?.kind === "persons" ? data.items : []}
        />
      ) : (
        <Table<HouseholdRow>
          {...common}
          columns={householdColumns}
          dataSource={data?.kind === "households" ? data.items : []}
        />
      )}
      <KeysetPager
        page={page}
        hasNext={Boolean(data?.next_cursor)}
        loading={query.isFetching}
        onFirst={() => go(cursorTrail.first(search))}
        onPrevious={previous ? () => go(previous) : null}
        onNext={() => {
          const next = data?.next_cursor;
          if (next) go(cursorTrail.next(search, next));
        }}
      />
    </>
  );
}
