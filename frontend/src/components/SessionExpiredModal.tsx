import { Button, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "@/app/services";

/** Over the page the person was on (their form still filled in): sign in again, come back here,
 * and find what they typed restored. */
export function SessionExpiredModal({ open }: { open: boolean }) {
  const { t } = useTranslation();
  const { session } = useServices();
  const [busy, setBusy] = useState(false);
  const signIn = () => {
    setBusy(true);
    const { pathname, search } = window.location;
    session.login(pathname + search).catch(() => setBusy(false));
  };
  return (
    <Modal
      open={open}
      title={t("auth.expiredTitle")}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Button type="primary" loading={busy} onClick={signIn}>
          {t("auth.signInAgain")}
        </Button>
      }
    >
      <Typography.Paragraph>{t("auth.expiredText")}</Typography.Paragraph>
    </Modal>
  );
}
