/** The field app's texts, under their own i18next namespace `field` (Vietnamese first, English
 * switchable; the choice is shared with the officers' SPA through `noxh.language`). */
import i18next, { type i18n as I18n } from "i18next";
import { createContext, useContext, useSyncExternalStore } from "react";
import { en } from "./en";
import { vi } from "./vi";

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
export type FieldMessages = DeepStrings<typeof vi>;

type Paths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type FieldKey = Paths<FieldMessages>;

export const NS = "field";
const STORAGE_KEY = "noxh.language";
export type FieldLanguage = "vi" | "en";

export function savedLanguage(): FieldLanguage {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

export function createFieldI18n(language: FieldLanguage = savedLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { vi: { [NS]: vi }, en: { [NS]: en } },
    ns: [NS],
    defaultNS: NS,
    lng: language,
    fallbackLng: "vi",
    supportedLngs: ["vi", "en"],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  document.documentElement.lang = language;
  instance.on("languageChanged", (lng) => {
    document.documentElement.lang = lng;
    try {
      localStorage.setItem(STORAGE_KEY, lng);
    } catch {
      // private mode: this page only
    }
  });
  return instance;
}

export const I18nContext = createContext<I18n | null>(null);

export type T = (key: FieldKey, values?: Record<string, unknown>) => string;

export function useT(): { t: T; language: FieldLanguage; setLanguage: (l: FieldLanguage) => void } {
  const instance = useContext(I18nContext);
  if (!instance) throw new Error("I18nContext missing");
  const language = useSyncExternalStore(
    (cb) => {
      instance.on("languageChanged", cb);
      return () => instance.off("languageChanged", cb);
    },
    () => (instance.language === "en" ? "en" : "vi") as FieldLanguage,
  );
  const t: T = (key, values) =>
    (instance.t as (k: string, o?: object) => string)(key, { ...values, lng: language });
  return { t, language, setLanguage: (l) => void instance.changeLanguage(l) };
}
