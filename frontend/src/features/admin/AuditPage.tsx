import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useApi } from "@/app/services";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { formatDateTime } from "@/lib/format";
import type { AuditEvent } from "./api";
import { auditQuery } from "./queries";
import { wordKey } from "./schema";
import type { AdminPageSearch } from "./search";

const route = getRouteApi("/admin/audit");

const show = (value: unknown): string =>
  Array.isArray(value)
    ? value.join(", ") || "—"
    : value === null || value === undefined
      ? "—"
      : String(value);

/** An event's details in a line: "Địa bàn: 10525 → 11560; Tên: …". Passwords and secrets are never in
 * them (the provider writes neither). */
export function describeDetails(details: Record<string, unknown>, t: TFunction): string {
  return Object.entries(details)
    .map(([field, value]) => {
      const label = t(`admin.audit.fields.${wordKey(field)}` as "admin.audit.fields.name", {
        defaultValue: field,
      });
      if (value && typeof value === "object" && !Array.isArray(value) && "from" in value && "to" in value) {
        const change = value as { from: unknown; to: unknown };
        return `${label}: ${show(change.from)} → ${show(change.to)}`;
      }
      return `${label}: ${show(value)}`;
    })
    .join("; ");
}

/** The identity provider's own audit log (accounts, partner clients, keys), oldest first. */
export function AuditPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: AdminPageSearch) => navigate({ search: next });
  const query = useQuery(auditQuery(api, search));
  const columns: ColumnsType<AuditEvent> = [
    { title: t("admin.audit.seq"), dataIndex: "seq", width: 70, align: "right" },
    {
      title: t("admin.audit.at"),
      dataIndex: "at",
      width: 150,
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t("admin.audit.actor"),
      dataIndex: "actor",
      width: 140,
      render: (actor: string) => <Typography.Text code>{actor}</Typography.Text>,
    },
    {
      title: t("admin.audit.action"),
      dataIndex: "action",
      width: 190,
      render: (action: string) =>
        t(`admin.audit.actions.${wordKey(action)}` as "admin.audit.actions.account_created", {
          defaultValue: action,
        }),
    },
    {
      title: t("admin.audit.target"),
      key: "target",
      width: 220,
      render: (_, event) => (
        <>
          {t(`admin.audit.targets.${wordKey(event.target_type)}` as "admin.audit.targets.account", {
            defaultValue: event.target_type,
          })}{" "}
          <Typography.Text code>{event.target_id}</Typography.Text>
        </>
      ),
    },
    {
      title: t("admin.audit.details"),
      dataIndex: "details",
      minWidth: 200,
      render: (details: Record<string, unknown>) => describeDetails(details, t),
    },
  ];
  return (
    <>
      <PageHeader title={t("admin.audit.title")} subtitle={t("admin.audit.subtitle")} />
      <KeysetList
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="seq"
        testId="audit-events"
      />
    </>
  );
}
