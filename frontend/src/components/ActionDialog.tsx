/** A workflow step's confirmation: what will happen, and a reason when the step needs one. */
import { Form, Input, Modal } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { REASON_MAX, REASON_MIN, reasonValid } from "./KeysetList";

export function ActionDialog({
  open,
  title,
  text,
  danger,
  needsReason,
  reasonLabel,
  loading,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  text: string;
  danger?: boolean;
  needsReason?: boolean;
  reasonLabel?: string;
  loading?: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const close = () => {
    setReason("");
    setInvalid(false);
    onCancel();
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={title}
      okButtonProps={{ danger }}
      cancelText={t("common.cancel")}
      onOk={() => {
        if (needsReason && !reasonValid(reason)) {
          setInvalid(true);
          return;
        }
        setInvalid(false);
        onConfirm(reason.trim());
      }}
      onCancel={close}
      afterClose={() => setReason("")}
      confirmLoading={loading}
      destroyOnHidden
    >
      <p>{text}</p>
      {children}
      {needsReason ? (
        <Form layout="vertical">
          <Form.Item
            label={reasonLabel ?? t("supportCases.reason")}
            required
            htmlFor="action-reason"
            validateStatus={invalid ? "error" : undefined}
            help={invalid ? t("supportCases.reasonInvalid", { min: REASON_MIN, max: REASON_MAX }) : undefined}
          >
            <Input.TextArea
              id="action-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={3}
              maxLength={REASON_MAX}
            />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}
