import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Card, Form, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail } from "@/api/paging";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { RunDetectionButton } from "@/features/creates/dialogs";
import { formatDate } from "@/lib/format";
import { type Candidate, candidatesQuery } from "./queries";
import { DUPLICATE_STATUSES, type DuplicatesSearch } from "./search";

const route = getRouteApi("/duplicates/");

export function DuplicatesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery(candidatesQuery(api, search));
  const go = (next: DuplicatesSearch) => navigate({ search: next });
  const columns: ColumnsType<Candidate> = [
    {
      title: t("duplicates.pair"),
      key: "pair",
      render: (_, c) => (
        <Link to="/duplicates/$candidateId" params={{ candidateId: c.id }}>
          {c.person_a.full_name} — {c.person_b.full_name}
        </Link>
      ),
    },
    {
      title: t("duplicates.similarity"),
      dataIndex: "name_similarity_pct",
      width: 120,
      align: "right",
      render: (v: number) => `${v}%`,
    },
    {
      title: t("duplicates.differing"),
      dataIndex: "differing",
      render: (fields: string[]) =>
        fields.length
          ? fields.map((f) => (
              <Tag key={f}>
                {t(`duplicates.fields.${f}` as "duplicates.fields.full_name", { defaultValue: f })}
              </Tag>
            ))
          : t("common.none"),
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 110 },
    {
      title: t("duplicates.foundOn"),
      dataIndex: "created_at",
      width: 120,
      render: (v: string) => formatDate(v),
    },
  ];
  return (
    <>
      <PageHeader
        title={t("duplicates.title")}
        subtitle={t("duplicates.subtitle")}
        extra={<RunDetectionButton />}
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline">
          <Form.Item label={t("duplicates.status")}>
            <Select
              aria-label={t("duplicates.status")}
              style={{ width: 200 }}
              value={search.status ?? "pending"}
              onChange={(status) => go(cursorTrail.first({ ...search, status }))}
              options={DUPLICATE_STATUSES.map((value) => ({
                value,
                label: t(`duplicates.statuses.${value}`),
              }))}
            />
          </Form.Item>
        </Form>
      </Card>
      <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" scrollX={900} />
    </>
  );
}
