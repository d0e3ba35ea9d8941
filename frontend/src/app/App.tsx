import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type AnyRouter, RouterProvider } from "@tanstack/react-router";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import viVN from "antd/locale/vi_VN";
import type { i18n as I18n } from "i18next";
import type { ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { currentLanguage } from "@/i18n";
import { usePrefersReducedMotion } from "@/lib/motion";
import { type AppServices, ServicesProvider } from "./services";

/** antd's texts (pickers, tables, modals) follow the chosen language; its animations follow the
 * system's reduced-motion setting. */
function LocalizedAntd({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const locale = currentLanguage(i18n) === "en" ? enUS : viVN;
  const motion = !usePrefersReducedMotion();
  return (
    <ConfigProvider locale={locale} theme={{ token: { colorPrimary: "#1677ff", borderRadius: 6, motion } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export interface AppProps {
  services: AppServices;
  queryClient: QueryClient;
  router: AnyRouter;
  i18n: I18n;
}

export function App({ services, queryClient, router, i18n }: AppProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>
        <QueryClientProvider client={queryClient}>
          <LocalizedAntd>
            <RouterProvider router={router} />
          </LocalizedAntd>
        </QueryClientProvider>
      </ServicesProvider>
    </I18nextProvider>
  );
}
