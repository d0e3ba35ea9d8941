/** A create form in a modal: react-hook-form values, the submit button named after the action, the
 * service's problem under the fields (field errors are put next to their fields by the caller). */
import { Form, Modal } from "antd";
import type { ReactNode } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "./ProblemAlert";

export function FormDialog<V extends FieldValues>({
  open,
  title,
  form,
  submitting,
  problem,
  onSubmit,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  form: UseFormReturn<V>;
  submitting?: boolean;
  problem?: unknown;
  onSubmit: (values: V) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={title}
      cancelText={t("common.cancel")}
      confirmLoading={submitting}
      onOk={() => void form.handleSubmit(onSubmit)()}
      onCancel={onCancel}
      destroyOnHidden
      width={640}
    >
      <Form
        layout="vertical"
        component="form"
        onFinish={() => void form.handleSubmit(onSubmit)()}
        requiredMark
      >
        {children}
        {problem ? <ProblemAlert error={problem} /> : null}
      </Form>
    </Modal>
  );
}
