/** i18next: Vietnamese first, English second. The choice is remembered in localStorage and switches
 * antd's locale and dayjs' together with the texts (see app/Providers.tsx). */
import "dayjs/locale/vi";
import "dayjs/locale/en";
import dayjs from "dayjs";
import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { vi } from "./vi";

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
export type Messages = DeepStrings<typeof vi>;

export const LANGUAGES = ["vi", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "noxh.language";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}

export function storedLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

export function createI18n(language: Language = storedLanguage()): I18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next);
  void instance.init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: language,
    fallbackLng: "vi",
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  applyLanguage(language);
  instance.on("languageChanged", (lng) => {
    applyLanguage(lng === "en" ? "en" : "vi");
    try {
      localStorage.setItem(STORAGE_KEY, lng);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  });
  return instance;
}

function applyLanguage(language: Language): void {
  dayjs.locale(language);
  if (typeof document !== "undefined") document.documentElement.lang = language;
}

export function currentLanguage(instance: I18n): Language {
  return instance.language === "en" ? "en" : "vi";
}
