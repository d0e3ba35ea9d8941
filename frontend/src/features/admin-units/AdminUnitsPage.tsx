import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Button, Card, Form, Input, Select, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetPager } from "@/components/KeysetPager";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { formatDate } from "@/lib/format";
import { type AdminUnit, adminUnitsQuery } from "./queries";
import type { AdminUnitsSearch } from "./search";

const route = getRouteApi("/admin-units");
const PARENT_CODE = /^\d{2,5}$/;

export function AdminUnitsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(adminUnitsQuery(api, search));
  const go = (next: AdminUnitsSearch) => navigate({ search: next });

  const [parentCode, setParentCode] = useState(search.parent_code ?? "");
  useEffect(() => setParentCode(search.parent_code ?? ""), [search.parent_code]);
  const parentInvalid = parentCode !== "" && !PARENT_CODE.test(parentCode);

  const applyFilters = (changes: Partial<AdminUnitsSearch>) =>
    go(cursorTrail.first({ ...search, ...changes }));

  const columns: ColumnsType<AdminUnit> = [
    { title: t("adminUnits.code"), dataIndex: "code", width: 90 },
    { title: t("adminUnits.name"), dataIndex: "name", minWidth: 220 },
    { title: t("adminUnits.divisionType"), dataIndex: "division_type", width: 120 },
    {
      title: t("adminUnits.level"),
      dataIndex: "level",
      width: 140,
      render: (level: AdminUnit["level"]) => <Tag>{t(`adminUnits.levels.${level}`)}</Tag>,
    },
    {
      title: t("adminUnits.parent"),
      dataIndex: "parent_code",
      width: 90,
      render: (code: string | null) => code ?? t("common.none"),
    },
    {
      title: t("adminUnits.validFrom"),
      dataIndex: "valid_from",
      width: 120,
      render: (value: string) => formatDate(value),
    },
    {
      title: t("adminUnits.validTo"),
      dataIndex: "valid_to",
      width: 120,
      render: (value: string | null) => (value ? formatDate(value) : t("common.none")),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 160,
      render: (_, unit) =>
        unit.level === "province" ? (
          <Button size="small" type="link" onClick={() => applyFilters({ parent_code: unit.code })}>
            {t("adminUnits.showCommunes")}
          </Button>
        ) : null,
    },
  ];

  const page = search.page ?? 1;
  const previous = cursorTrail.previous(search);
  return (
    <>
      <PageHeader title={t("adminUnits.title")} subtitle={t("adminUnits.subtitle")} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          onFinish={() => {
            if (!parentInvalid) applyFilters({ parent_code: parentCode || undefined });
          }}
        >
          <Form.Item
            label={t("adminUnits.parentCode")}
            validateStatus={parentInvalid ? "error" : undefined}
            help={parentInvalid ? t("adminUnits.parentCodeInvalid") : undefined}
          >
            <Input
              name="parent_code"
              aria-label={t("adminUnits.parentCode")}
              value={parentCode}
              onChange={(e) => setParentCode(e.target.value.trim())}
              placeholder={t("adminUnits.parentCodePlaceholder")}
              allowClear
              style={{ width: 140 }}
              inputMode="numeric"
            />
          </Form.Item>
          <Form.Item label={t("adminUnits.level")}>
            <Select
              aria-label={t("adminUnits.level")}
              style={{ width: 170 }}
              value={search.level ?? ""}
              onChange={(value) => applyFilters({ level: (value || undefined) as AdminUnitsSearch["level"] })}
              options={[
                { value: "", label: t("common.all") },
                ...(["province", "district", "commune"] as const).map((level) => ({
                  value: level,
                  label: t(`adminUnits.levels.${level}`),
                })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t("adminUnits.scheme")}>
            <Select
              aria-label={t("adminUnits.scheme")}
              style={{ width: 230 }}
              value={search.scheme ?? "2025"}
              onChange={(value) => applyFilters({ scheme: value === "2025" ? undefined : value })}
              options={(["2025", "legacy"] as const).map((scheme) => ({
                value: scheme,
                label: t(`adminUnits.schemes.${scheme}`),
              }))}
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t("common.filter")}
            </Button>
            <Button onClick={() => go({})}>{t("common.clear")}</Button>
          </Space>
        </Form>
      </Card>
      {query.isError ? (
        <ProblemAlert
          error={query.error}
          onReload={() => (search.cursor ? go(cursorTrail.first(search)) : void query.refetch())}
        />
      ) : null}
      <Table<AdminUnit>
        rowKey={(unit) => `${unit.scheme}:${unit.code}`}
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        size="small"
        locale={{ emptyText: t("paging.empty") }}
        scroll={{ x: 900 }}
      />
      <KeysetPager
        page={page}
        hasNext={Boolean(query.data?.next_cursor)}
        loading={query.isFetching}
        onFirst={() => go(cursorTrail.first(search))}
        onPrevious={previous ? () => go(previous) : null}
        onNext={() => {
          const next = query.data?.next_cursor;
          if (next) go(cursorTrail.next(search, next));
        }}
      />
    </>
  );
}
