import { PlusOutlined } from "@ant-design/icons";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { App, Button, Input, InputNumber, Space, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { ActionDialog } from "@/components/ActionDialog";
import { FormDialog } from "@/components/FormDialog";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useServerErrors } from "@/features/creates/dialogs";
import { formatDateTime } from "@/lib/format";
import { FormField } from "@/lib/forms";
import {
  changePartner,
  type Partner,
  readPartner,
  registerPartner,
  revokePartner,
  rotateSecret,
} from "./api";
import { ScopesCheckboxes } from "./fields";
import { OneTimeSecretDialog } from "./OneTimeSecretDialog";
import { catalogueQuery, partnersKey, partnersQuery } from "./queries";
import {
  emptyPartner,
  PARTNER_FIELDS,
  type PartnerValues,
  partnerChangeBody,
  partnerCreateBody,
  partnerSchema,
  partnerValues,
  wordKey,
} from "./schema";
import type { AdminPageSearch } from "./search";
import { isStale, useVersionedRecord } from "./versioned";

const route = getRouteApi("/admin/partner-clients");

type PartnerAction = { kind: "rotate" | "revoke"; partner: Partner };

/** Partner clients (client credentials): register with scopes and a quota, change them, rotate the
 * secret (shown once), revoke. */
export function PartnersPage() {
  const { t } = useTranslation();
  const api = useApi();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: AdminPageSearch) => navigate({ search: next });
  const query = useQuery(partnersQuery(api, search));
  const catalogue = useQuery(catalogueQuery(api));
  const [editing, setEditing] = useState<Partner | "new" | null>(null);
  const [action, setAction] = useState<PartnerAction | null>(null);
  const [secret, setSecret] = useState<{ clientId: string; value: string } | null>(null);
  const scopeName = (scope: string) =>
    t(`admin.partners.scopeNames.${wordKey(scope)}` as "admin.partners.scopeNames.registry_projects_read", {
      defaultValue: scope,
    });

  const columns: ColumnsType<Partner> = [
    {
      title: t("admin.partners.clientId"),
      dataIndex: "client_id",
      width: 190,
      render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
    },
    { title: t("admin.partners.name"), dataIndex: "name", minWidth: 160 },
    {
      title: t("admin.partners.scopes"),
      dataIndex: "scopes",
      width: 240,
      render: (scopes: string[]) => (
        <Space size={4} wrap>
          {scopes.map((scope) => (
            <Tooltip key={scope} title={scope}>
              <Tag style={{ marginInlineEnd: 0 }}>{scopeName(scope)}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      title: t("admin.partners.quotaShort"),
      dataIndex: "quota_per_minute",
      width: 110,
      align: "right",
      render: (count: number) => t("admin.partners.perMinute", { count }),
    },
    {
      title: t("admin.partners.status"),
      dataIndex: "status",
      width: 120,
      render: (status: Partner["status"]) =>
        status === "active" ? (
          <Tag color="green">{t("admin.partners.active")}</Tag>
        ) : (
          <Tag color="red">{t("admin.partners.revoked")}</Tag>
        ),
    },
    {
      title: t("admin.partners.rotatedAt"),
      dataIndex: "secret_rotated_at",
      width: 140,
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 170,
      render: (_, partner) =>
        partner.status === "active" ? (
          <Space size={[4, 4]} wrap>
            <Button size="small" onClick={() => setEditing(partner)}>
              {t("common.edit")}
            </Button>
            <Button size="small" onClick={() => setAction({ kind: "rotate", partner })}>
              {t("admin.partners.rotate")}
            </Button>
            <Button size="small" danger onClick={() => setAction({ kind: "revoke", partner })}>
              {t("admin.partners.revoke")}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title={t("admin.partners.title")}
        subtitle={t("admin.partners.subtitle")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
            {t("admin.partners.create")}
          </Button>
        }
      />
      {catalogue.isError ? (
        <ProblemAlert error={catalogue.error} onReload={() => void catalogue.refetch()} />
      ) : null}
      <KeysetList
        query={query}
        search={search}
        go={go}
        columns={columns}
        rowKey="client_id"
        testId="partners"
      />
      {editing ? (
        <PartnerDialog
          key={editing === "new" ? "new" : editing.client_id}
          partner={editing === "new" ? null : editing}
          scopes={catalogue.data?.partner_scopes ?? []}
          onSecret={(clientId, value) => setSecret({ clientId, value })}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {action ? (
        <PartnerActionDialog
          key={`${action.kind}:${action.partner.client_id}`}
          action={action}
          onSecret={(clientId, value) => setSecret({ clientId, value })}
          onClose={() => setAction(null)}
        />
      ) : null}
      <OneTimeSecretDialog
        value={secret?.value ?? null}
        title={t("admin.partners.secretTitle", { clientId: secret?.clientId ?? "" })}
        label={t("admin.partners.secretLabel")}
        warning={t("admin.partners.secretWarning")}
        savedText={t("admin.partners.secretSaved")}
        onClose={() => setSecret(null)}
      />
    </>
  );
}

type Saved = { kind: "registered"; clientId: string; secret: string } | { kind: "changed" | "unchanged" };

/** Register a partner client, or change its name, scopes and quota. */
function PartnerDialog({
  partner,
  scopes,
  onSecret,
  onClose,
}: {
  partner: Partner | null;
  scopes: string[];
  onSecret: (clientId: string, secret: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { record, etag, reload } = useVersionedRecord(partner, (r) => readPartner(api.identity, r.client_id));
  const form = useForm<PartnerValues>({
    resolver: zodResolver(partnerSchema),
    defaultValues: partner ? partnerValues(partner) : emptyPartner(),
  });
  const errors = useServerErrors(form, PARTNER_FIELDS, (field) => field.split(".")[0] ?? field);
  const mutation = useMutation({
    mutationFn: async (values: PartnerValues): Promise<Saved> => {
      if (!record) {
        const { data } = await registerPartner(api.identity, partnerCreateBody(values));
        return { kind: "registered", clientId: data.client_id, secret: data.client_secret };
      }
      const body = partnerChangeBody(values, record);
      if (!body) return { kind: "unchanged" };
      await changePartner(api.identity, record.client_id, etag, body);
      return { kind: "changed" };
    },
    onMutate: errors.clear,
    onSuccess: async (saved) => {
      if (saved.kind === "registered") {
        onSecret(saved.clientId, saved.secret);
        void message.success(t("common.created"));
      } else if (saved.kind === "changed") {
        void message.success(t("common.saved"));
      } else {
        void message.info(t("admin.accounts.nothingChanged"));
      }
      onClose();
      await queryClient.invalidateQueries({ queryKey: partnersKey });
    },
    onError: (error) => {
      errors.onError(error);
      const problem = toProblem(error);
      if (problem.code === "client_exists") {
        form.setError(
          "client_id",
          { type: "server", message: "problems.client_exists" },
          { shouldFocus: true },
        );
      }
    },
  });
  const reloadForm = async () => {
    errors.clear();
    try {
      const fresh = await reload();
      if (fresh) form.reset(partnerValues(fresh));
      void queryClient.invalidateQueries({ queryKey: partnersKey });
    } catch (error) {
      errors.onError(error);
    }
  };
  const stale = isStale(toProblem(errors.problem).code);
  const { control } = form;
  return (
    <FormDialog
      open
      title={partner ? t("admin.partners.edit") : t("admin.partners.create")}
      form={form}
      submitting={mutation.isPending}
      onSubmit={(values) => mutation.mutate(values)}
      onCancel={onClose}
    >
      <FormField
        control={control}
        name="client_id"
        label={t("admin.partners.clientId")}
        required
        help={partner ? undefined : t("admin.partners.clientIdHelp")}
      >
        {(field) => <Input {...field} disabled={Boolean(partner)} autoComplete="off" maxLength={64} />}
      </FormField>
      <FormField control={control} name="name" label={t("admin.partners.name")} required>
        {(field) => <Input {...field} autoComplete="off" maxLength={200} />}
      </FormField>
      <FormField control={control} name="scopes" label={t("admin.partners.scopes")} required>
        {(field) => (
          <ScopesCheckboxes
            id={field.id}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            scopes={scopes}
            label={t("admin.partners.scopes")}
          />
        )}
      </FormField>
      <FormField control={control} name="quota_per_minute" label={t("admin.partners.quota")} required>
        {(field, invalid) => (
          <InputNumber
            id={field.id}
            value={field.value}
            onChange={(value) => field.onChange(value)}
            onBlur={field.onBlur}
            status={invalid ? "error" : undefined}
            min={1}
            max={100_000}
            precision={0}
            style={{ width: 200 }}
          />
        )}
      </FormField>
      {errors.problem ? (
        <ProblemAlert error={errors.problem} onReload={stale ? () => void reloadForm() : undefined} />
      ) : null}
    </FormDialog>
  );
}

/** Rotate the secret (the new one shown once) or revoke the client for good. */
function PartnerActionDialog({
  action,
  onSecret,
  onClose,
}: {
  action: PartnerAction;
  onSecret: (clientId: string, secret: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { kind } = action;
  const clientId = action.partner.client_id;
  const versioned = useVersionedRecord(action.partner, (r) => readPartner(api.identity, r.client_id));
  const { etag } = versioned;
  const mutation = useMutation({
    mutationFn: async (): Promise<string | null> => {
      if (kind === "rotate") return (await rotateSecret(api.identity, clientId, etag)).data.client_secret;
      await revokePartner(api.identity, clientId, etag);
      return null;
    },
    onSuccess: async (secret) => {
      onClose();
      if (secret) onSecret(clientId, secret);
      else void message.success(t("admin.partners.revokedDone"));
      await queryClient.invalidateQueries({ queryKey: partnersKey });
    },
  });
  const reload = async () => {
    mutation.reset();
    await versioned.reload().catch(() => null);
    void queryClient.invalidateQueries({ queryKey: partnersKey });
  };
  const stale = isStale(toProblem(mutation.error).code);
  return (
    <ActionDialog
      open
      title={kind === "rotate" ? t("admin.partners.rotate") : t("admin.partners.revokeTitle")}
      text={
        kind === "rotate"
          ? t("admin.partners.rotateText", { clientId })
          : t("admin.partners.revokeText", { clientId })
      }
      danger={kind === "revoke"}
      loading={mutation.isPending}
      onConfirm={() => mutation.mutate()}
      onCancel={onClose}
    >
      {mutation.error ? (
        <ProblemAlert error={mutation.error} onReload={stale ? () => void reload() : undefined} />
      ) : null}
    </ActionDialog>
  );
}
