import { LoginOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Flex, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "@/app/services";
import { LanguageSwitch } from "./LanguageSwitch";

function currentPath(): string {
  const { pathname, search } = window.location;
  return pathname === "/callback" ? "/" : pathname + search;
}

export function SignInPage({ error }: { error: string | null }) {
  const { t } = useTranslation();
  const { session } = useServices();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const signIn = () => {
    setBusy(true);
    session.login(currentPath()).catch(() => {
      setBusy(false);
      setFailed(true);
    });
  };
  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: "100vh", padding: 24, background: "#f0f2f5" }}
    >
      <Card style={{ maxWidth: 480, width: "100%" }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <Typography.Text strong>{t("app.fullTitle")}</Typography.Text>
          <LanguageSwitch />
        </Flex>
        <Typography.Title level={2}>{t("auth.welcomeTitle")}</Typography.Title>
        <Typography.Paragraph type="secondary">{t("auth.welcomeText")}</Typography.Paragraph>
        {failed || error === "network" ? (
          <Alert type="error" showIcon title={t("auth.unreachable")} style={{ marginBottom: 16 }} />
        ) : error === "signed_out_elsewhere" ? (
          <Alert type="info" showIcon title={t("auth.signedOutElsewhere")} style={{ marginBottom: 16 }} />
        ) : error ? (
          <Alert type="warning" showIcon title={t("auth.failed")} style={{ marginBottom: 16 }} />
        ) : null}
        <Button type="primary" size="large" block icon={<LoginOutlined />} loading={busy} onClick={signIn}>
          {t("auth.signIn")}
        </Button>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        {t("app.footer")}
      </Typography.Text>
    </Flex>
  );
}
