/** The pickers of the administration forms: roles and scopes from the provider's catalogue, areas from
 * registry-api's administrative units. */
import { Checkbox, Flex, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { type AreaChoice, fold } from "./queries";
import { wordKey } from "./schema";

interface MultiProps {
  id: string;
  value: string[];
  onChange: (value: string[]) => void;
  onBlur: () => void;
  invalid?: boolean;
}

export function RolesSelect({
  roles,
  loading,
  ...field
}: MultiProps & { roles: string[]; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <Select
      mode="multiple"
      id={field.id}
      value={field.value}
      onChange={field.onChange}
      onBlur={field.onBlur}
      status={field.invalid ? "error" : undefined}
      loading={loading}
      showSearch={{ optionFilterProp: "label" }}
      options={roles.map((role) => ({
        value: role,
        label: t(`roles.${role}` as "roles.auditor", { defaultValue: role }),
      }))}
    />
  );
}

export function AreaCodesSelect({
  choices,
  label,
  loading,
  ...field
}: MultiProps & { choices: AreaChoice[]; label: (code: string) => string; loading: boolean }) {
  // Codes the account already has stay shown even when they are not among the choices (a legacy code).
  const known = new Set(choices.map((c) => c.value));
  const options = [
    ...choices,
    ...field.value.filter((code) => !known.has(code)).map((code) => ({ value: code, label: label(code) })),
  ];
  return (
    <Select
      mode="multiple"
      id={field.id}
      value={field.value}
      onChange={field.onChange}
      onBlur={field.onBlur}
      status={field.invalid ? "error" : undefined}
      loading={loading}
      showSearch={{
        filterOption: (input, option) => fold(String(option?.label ?? "")).includes(fold(input)),
      }}
      options={options}
    />
  );
}

/** A checkbox per scope, with its name and its code; the group carries the field's label. */
export function ScopesCheckboxes({
  scopes,
  label,
  ...field
}: MultiProps & { scopes: string[]; label: string }) {
  const { t } = useTranslation();
  return (
    <fieldset id={field.id} aria-label={label} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <Checkbox.Group value={field.value} onChange={(v) => field.onChange(v as string[])}>
        <Flex vertical gap={4}>
          {scopes.map((scope) => (
            <Checkbox key={scope} value={scope} onBlur={field.onBlur}>
              {t(
                `admin.partners.scopeNames.${wordKey(scope)}` as "admin.partners.scopeNames.registry_projects_read",
                {
                  defaultValue: scope,
                },
              )}{" "}
              <Typography.Text type="secondary" code>
                {scope}
              </Typography.Text>
            </Checkbox>
          ))}
        </Flex>
      </Checkbox.Group>
    </fieldset>
  );
}
