import { useMutation } from "@tanstack/react-query";
import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { unwrap } from "@/api/problem";
import { useApi } from "@/app/services";
import { ProblemAlert } from "@/components/ProblemAlert";
import type { Person } from "./queries";

export const PURPOSE_MIN = 5;
export const PURPOSE_MAX = 300;

/** Asks why the number is needed, then calls the audited reveal endpoint. The number is handed to the
 * caller only: it is never put in the query cache, the URL or storage. */
export function RevealDialog({
  person,
  onClose,
  onRevealed,
}: {
  person: Person | null;
  onClose: () => void;
  onRevealed: (personId: string, citizenId: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [purpose, setPurpose] = useState("");
  const [invalid, setInvalid] = useState(false);
  const mutation = useMutation({
    mutationFn: (target: Person) =>
      unwrap(
        api.registry.POST("/v1/persons/{person_id}/reveal", {
          params: { path: { person_id: target.id } },
          body: { fields: ["citizen_id"], purpose: purpose.trim() },
        }),
      ),
    onSuccess: (result, target) => {
      setPurpose("");
      mutation.reset();
      onRevealed(target.id, result.citizen_id ?? "");
    },
  });
  const close = () => {
    setPurpose("");
    setInvalid(false);
    mutation.reset();
    onClose();
  };
  const submit = () => {
    const length = purpose.trim().length;
    if (length < PURPOSE_MIN || length > PURPOSE_MAX) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (person) mutation.mutate(person);
  };
  return (
    <Modal
      open={person !== null}
      title={t("households.revealTitle", { name: person?.full_name ?? "" })}
      okText={t("households.reveal")}
      cancelText={t("common.cancel")}
      onOk={submit}
      onCancel={close}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <p>{t("households.revealExplain")}</p>
      <ProblemAlert error={mutation.error} />
      <Form layout="vertical">
        <Form.Item
          label={t("households.purpose")}
          required
          validateStatus={invalid ? "error" : undefined}
          help={invalid ? t("households.purposeInvalid", { min: PURPOSE_MIN, max: PURPOSE_MAX }) : undefined}
        >
          <Input.TextArea
            aria-label={t("households.purpose")}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            placeholder={t("households.purposePlaceholder")}
            maxLength={PURPOSE_MAX}
            rows={3}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
