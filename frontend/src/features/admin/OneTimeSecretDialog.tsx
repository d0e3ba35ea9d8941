import { CopyOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Input, Modal, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/** A password or client secret the provider returns once: shown with a copy button and a warning that
 * it cannot be shown again. The dialog closes only through its button, so a stray click or Escape does
 * not lose it; the value lives in this dialog's state only (never in the URL, the cache or storage), and
 * leaves the page as the dialog closes (antd keeps a closing dialog's last content until its animation
 * ends, so the field is emptied first). */
export function OneTimeSecretDialog({
  value,
  title,
  label,
  warning,
  savedText,
  onClose,
}: {
  value: string | null;
  title: string;
  label: string;
  warning: string;
  savedText: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const [closing, setClosing] = useState(false);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    if (closing) onCloseRef.current();
  }, [closing]);
  // A new value (or none) starts afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on every new value
  useEffect(() => {
    setClosing(false);
    setCopied(false);
  }, [value]);
  const shown = closing ? "" : (value ?? "");
  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refused permission): the value stays selectable.
      setCopied(false);
    }
  };
  return (
    <Modal
      open={value !== null}
      title={title}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={() => setClosing(true)}>
          {savedText}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={warning} style={{ marginBottom: 16 }} />
      <Typography.Text strong>
        <label htmlFor="one-time-secret">{label}</label>
      </Typography.Text>
      <Flex gap={8} style={{ marginTop: 8 }}>
        <Input
          id="one-time-secret"
          data-testid="one-time-secret"
          value={shown}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          style={{ fontFamily: "monospace" }}
        />
        <Button icon={<CopyOutlined />} onClick={() => void copy()}>
          {copied ? t("admin.oneTime.copied") : t("admin.oneTime.copy")}
        </Button>
      </Flex>
    </Modal>
  );
}
