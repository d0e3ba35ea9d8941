import { PlusOutlined } from "@ant-design/icons";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { App, Button, Input, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { ActionDialog } from "@/components/ActionDialog";
import { FormDialog } from "@/components/FormDialog";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useServerErrors } from "@/features/creates/dialogs";
import { FormField } from "@/lib/forms";
import {
  type Account,
  changeAccount,
  createAccount,
  readAccount,
  resetPassword,
  setAccountEnabled,
} from "./api";
import { AreaCodesSelect, RolesSelect } from "./fields";
import { OneTimeSecretDialog } from "./OneTimeSecretDialog";
import { accountsKey, accountsQuery, catalogueQuery, useAreaChoices } from "./queries";
import {
  ACCOUNT_FIELDS,
  type AccountValues,
  accountChangeBody,
  accountCreateBody,
  accountSchema,
  accountValues,
  emptyAccount,
} from "./schema";
import type { AdminPageSearch } from "./search";
import { isStale, useVersionedRecord } from "./versioned";

const route = getRouteApi("/admin/accounts");

type AccountAction = { kind: "disable" | "enable" | "reset"; account: Account };
type Areas = ReturnType<typeof useAreaChoices>;

/** Officer accounts: roles and areas, create (a first password shown once), disable and enable,
 * reset a password. */
export function AccountsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const me = useUser();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: AdminPageSearch) => navigate({ search: next });
  const query = useQuery(accountsQuery(api, search));
  const catalogue = useQuery(catalogueQuery(api));
  const shownCodes = [...new Set((query.data?.items ?? []).flatMap((a) => a.area_codes))];
  const areas = useAreaChoices(shownCodes);
  const [editing, setEditing] = useState<Account | "new" | null>(null);
  const [action, setAction] = useState<AccountAction | null>(null);
  const [password, setPassword] = useState<{ username: string; value: string } | null>(null);

  const columns: ColumnsType<Account> = [
    {
      title: t("admin.accounts.username"),
      dataIndex: "username",
      width: 170,
      render: (username: string) => (
        <Space size={4} wrap>
          <Typography.Text code>{username}</Typography.Text>
          {username === me.username ? <Tag color="gold">{t("admin.accounts.you")}</Tag> : null}
        </Space>
      ),
    },
    { title: t("admin.accounts.name"), dataIndex: "name", minWidth: 180 },
    {
      title: t("admin.accounts.roles"),
      dataIndex: "roles",
      width: 170,
      render: (roles: string[]) => (
        <Space size={4} wrap>
          {roles.map((role) => (
            <Tag key={role} color="geekblue" style={{ marginInlineEnd: 0 }}>
              {t(`roles.${role}` as "roles.auditor", { defaultValue: role })}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t("admin.accounts.areas"),
      dataIndex: "area_codes",
      width: 210,
      render: (codes: string[]) => (
        <Space size={4} wrap>
          {codes.map((code) => {
            const name = areas.name(code);
            return (
              <Tag key={code} color="blue" style={{ marginInlineEnd: 0 }}>
                {name ? `${code} · ${name}` : code}
              </Tag>
            );
          })}
        </Space>
      ),
    },
    {
      title: t("admin.accounts.status"),
      dataIndex: "enabled",
      width: 130,
      render: (enabled: boolean) =>
        enabled ? (
          <Tag color="green">{t("admin.accounts.enabled")}</Tag>
        ) : (
          <Tag color="red">{t("admin.accounts.disabled")}</Tag>
        ),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 200,
      render: (_, account) => (
        <Space size={[4, 4]} wrap>
          <Button size="small" onClick={() => setEditing(account)}>
            {t("common.edit")}
          </Button>
          {account.enabled ? (
            account.username === me.username ? null : (
              <Button size="small" danger onClick={() => setAction({ kind: "disable", account })}>
                {t("admin.accounts.disable")}
              </Button>
            )
          ) : (
            <Button size="small" onClick={() => setAction({ kind: "enable", account })}>
              {t("admin.accounts.enable")}
            </Button>
          )}
          <Button size="small" onClick={() => setAction({ kind: "reset", account })}>
            {t("admin.accounts.resetPassword")}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("admin.accounts.title")}
        subtitle={t("admin.accounts.subtitle")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
            {t("admin.accounts.create")}
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
        rowKey="username"
        testId="accounts"
      />
      {editing ? (
        <AccountDialog
          key={editing === "new" ? "new" : editing.username}
          account={editing === "new" ? null : editing}
          roles={catalogue.data?.roles ?? []}
          rolesLoading={catalogue.isLoading}
          areas={areas}
          onCreated={(username, value) => setPassword({ username, value })}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {action ? (
        <AccountActionDialog
          key={`${action.kind}:${action.account.username}`}
          action={action}
          onPassword={(username, value) => setPassword({ username, value })}
          onClose={() => setAction(null)}
        />
      ) : null}
      <OneTimeSecretDialog
        value={password?.value ?? null}
        title={t("admin.accounts.passwordTitle", { username: password?.username ?? "" })}
        label={t("admin.accounts.passwordLabel")}
        warning={t("admin.accounts.passwordWarning")}
        savedText={t("admin.accounts.passwordSaved")}
        onClose={() => setPassword(null)}
      />
    </>
  );
}

type Saved =
  | { kind: "created"; account: Account; password: string }
  | { kind: "changed"; account: Account }
  | { kind: "unchanged" };

/** Create an account, or change one's name, roles and areas (with the version read as If-Match). */
function AccountDialog({
  account,
  roles,
  rolesLoading,
  areas,
  onCreated,
  onClose,
}: {
  account: Account | null;
  roles: string[];
  rolesLoading: boolean;
  areas: Areas;
  onCreated: (username: string, password: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { record, etag, reload } = useVersionedRecord(account, (r) => readAccount(api.identity, r.username));
  const form = useForm<AccountValues>({
    resolver: zodResolver(accountSchema),
    defaultValues: account ? accountValues(account) : emptyAccount(),
  });
  // "/body/roles/1" names the roles field.
  const errors = useServerErrors(form, ACCOUNT_FIELDS, (field) => field.split(".")[0] ?? field);
  const mutation = useMutation({
    mutationFn: async (values: AccountValues): Promise<Saved> => {
      if (!record) {
        const { data } = await createAccount(api.identity, accountCreateBody(values));
        const { initial_password: password, ...created } = data;
        return { kind: "created", account: created, password };
      }
      const body = accountChangeBody(values, record);
      if (!body) return { kind: "unchanged" };
      const { data } = await changeAccount(api.identity, record.username, etag, body);
      return { kind: "changed", account: data };
    },
    onMutate: errors.clear,
    onSuccess: async (saved) => {
      if (saved.kind === "created") {
        onCreated(saved.account.username, saved.password);
        void message.success(t("common.created"));
      } else if (saved.kind === "changed") {
        void message.success(t("common.saved"));
      } else {
        void message.info(t("admin.accounts.nothingChanged"));
      }
      onClose();
      await queryClient.invalidateQueries({ queryKey: accountsKey });
    },
    onError: (error) => {
      errors.onError(error);
      if (toProblem(error).code === "account_exists") {
        form.setError(
          "username",
          { type: "server", message: "problems.account_exists" },
          { shouldFocus: true },
        );
      }
    },
  });
  const reloadForm = async () => {
    errors.clear();
    try {
      const fresh = await reload();
      if (fresh) form.reset(accountValues(fresh));
      void queryClient.invalidateQueries({ queryKey: accountsKey });
    } catch (error) {
      errors.onError(error);
    }
  };
  const stale = isStale(toProblem(errors.problem).code);
  const { control } = form;
  return (
    <FormDialog
      open
      title={record ? t("admin.accounts.edit") : t("admin.accounts.create")}
      form={form}
      submitting={mutation.isPending}
      onSubmit={(values) => mutation.mutate(values)}
      onCancel={onClose}
    >
      <FormField
        control={control}
        name="username"
        label={t("admin.accounts.username")}
        required
        help={record ? undefined : t("admin.accounts.usernameHelp")}
      >
        {(field) => <Input {...field} disabled={Boolean(record)} autoComplete="off" maxLength={64} />}
      </FormField>
      <FormField control={control} name="name" label={t("admin.accounts.name")} required>
        {(field) => <Input {...field} autoComplete="off" maxLength={200} />}
      </FormField>
      <FormField control={control} name="roles" label={t("admin.accounts.roles")} required>
        {(field, invalid) => (
          <RolesSelect
            id={field.id}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            invalid={invalid}
            roles={roles}
            loading={rolesLoading}
          />
        )}
      </FormField>
      <FormField
        control={control}
        name="area_codes"
        label={t("admin.accounts.areas")}
        required
        help={t("admin.accounts.areasHelp")}
      >
        {(field, invalid) => (
          <AreaCodesSelect
            id={field.id}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            invalid={invalid}
            choices={areas.choices}
            label={areas.label}
            loading={areas.loading}
          />
        )}
      </FormField>
      {errors.problem ? (
        <ProblemAlert error={errors.problem} onReload={stale ? () => void reloadForm() : undefined} />
      ) : null}
    </FormDialog>
  );
}

/** Disable, enable, or reset the password of an account (If-Match: the version listed, or the one
 * read again after someone else's change). */
function AccountActionDialog({
  action,
  onPassword,
  onClose,
}: {
  action: AccountAction;
  onPassword: (username: string, password: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { kind } = action;
  const versioned = useVersionedRecord(action.account, (r) => readAccount(api.identity, r.username));
  const account = versioned.record ?? action.account;
  const { etag } = versioned;
  const mutation = useMutation({
    mutationFn: async (): Promise<string | null> => {
      if (kind === "reset") {
        const { data } = await resetPassword(api.identity, account.username, etag);
        return data.temporary_password;
      }
      await setAccountEnabled(api.identity, account.username, etag, kind === "enable");
      return null;
    },
    onSuccess: async (password) => {
      onClose();
      if (password) onPassword(account.username, password);
      else
        void message.success(
          t(kind === "enable" ? "admin.accounts.enabledDone" : "admin.accounts.disabledDone"),
        );
      await queryClient.invalidateQueries({ queryKey: accountsKey });
    },
  });
  const reload = async () => {
    mutation.reset();
    await versioned.reload().catch(() => null);
    void queryClient.invalidateQueries({ queryKey: accountsKey });
  };
  const stale = isStale(toProblem(mutation.error).code);
  const username = account.username;
  const words = {
    disable: [t("admin.accounts.disableTitle"), t("admin.accounts.disableText", { username })],
    enable: [t("admin.accounts.enableTitle"), t("admin.accounts.enableText", { username })],
    reset: [t("admin.accounts.resetPassword"), t("admin.accounts.resetText", { username })],
  } as const;
  const [title, text] = words[kind];
  return (
    <ActionDialog
      open
      title={title}
      text={text}
      danger={kind === "disable"}
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
