/** Small pieces the funding and inspection screens share: money, an enum filter, a list's go(). */
import { Form, Select } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";

export function Money({ value }: { value: number | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (value === null || value === undefined) return <>{t("common.none")}</>;
  return <>{t("finance.money", { value: formatNumber(value, i18n.language) })}</>;
}

export function EnumFilter<V extends string>({
  label,
  value,
  values,
  labelOf,
  onChange,
  width = 200,
}: {
  label: string;
  value: V | undefined;
  values: readonly V[];
  labelOf: (value: V) => string;
  onChange: (value: V | undefined) => void;
  width?: number;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label}>
      <Select
        aria-label={label}
        style={{ width }}
        value={value ?? ""}
        onChange={(v: string) => onChange(v ? (v as V) : undefined)}
        options={[
          { value: "", label: t("common.all") },
          ...values.map((v) => ({ value: v, label: labelOf(v) })),
        ]}
      />
    </Form.Item>
  );
}
