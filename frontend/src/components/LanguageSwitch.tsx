import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { currentLanguage, type Language } from "@/i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      aria-label={t("language.label")}
      size="small"
      value={currentLanguage(i18n)}
      onChange={(lng) => void i18n.changeLanguage(lng)}
      options={[
        { value: "vi", label: t("language.vi") },
        { value: "en", label: t("language.en") },
      ]}
    />
  );
}
