import { Outlet } from "@tanstack/react-router";
import { Spin } from "antd";
import { useTranslation } from "react-i18next";
import { SessionExpiredModal } from "@/components/SessionExpiredModal";
import { SignInPage } from "@/components/SignInPage";
import { AppLayout } from "./AppLayout";
import { useSession } from "./services";

/** Signed out: the sign-in page. Signed in: the app. Expired: the app stays (with what was typed)
 * under a dialog asking to sign in again. */
export function RootLayout() {
  const session = useSession();
  const { t } = useTranslation();
  if (session.status === "loading") {
    return <Spin fullscreen description={t("common.loading")} />;
  }
  if (session.status === "anonymous" || !session.user) {
    return <SignInPage error={session.error} />;
  }
  return (
    <>
      <AppLayout>
        <Outlet />
      </AppLayout>
      <SessionExpiredModal open={session.status === "expired"} />
    </>
  );
}
