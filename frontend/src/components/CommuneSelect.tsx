import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { useUser } from "@/app/services";
import { useAreaNames, useCommunes } from "@/features/admin-units/queries";

/** The communes the signed-in officer covers: a province's communes for a province officer, their own
 * communes for a commune officer. "" stands for all of them. */
export function CommuneSelect({
  value,
  onChange,
  label,
}: {
  value: string | undefined;
  onChange: (code: string | undefined) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const province = user.areaCodes.find((code) => code.length === 2);
  const communes = useCommunes(province);
  const ownCodes = province ? [] : user.areaCodes.filter((code) => code.length === 5);
  const ownNames = useAreaNames(ownCodes);
  const options = province
    ? (communes.data ?? []).map((unit) => ({ value: unit.code, label: `${unit.name} (${unit.code})` }))
    : ownCodes.map((code) => ({ value: code, label: ownNames[code] ? `${ownNames[code]} (${code})` : code }));
  return (
    <Select
      aria-label={label}
      showSearch={{ optionFilterProp: "label" }}
      style={{ width: 280 }}
      value={value ?? ""}
      loading={communes.isLoading}
      onChange={(next) => onChange(next || undefined)}
      options={[{ value: "", label: t("common.all") }, ...options]}
    />
  );
}
