/** Recording one household's review result (commune officers): the field errors of a 422 go next to
 * their fields, any other problem above the form in words. */
import { useMutation } from "@tanstack/react-query";
import { DatePicker, Form, Input, InputNumber, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { ProblemAlert } from "@/components/ProblemAlert";
import { fieldErrorMessage } from "@/lib/problemText";
import {
  correctRecord,
  createRecord,
  type RecordCreate,
  type RecordMode,
  type ReviewRecord,
  updateRecord,
} from "./queries";
import { RECORD_KINDS, REVIEW_STATUSES } from "./search";

interface Values {
  household_id: string;
  kind: RecordCreate["kind"];
  status_before: RecordCreate["status_before"];
  status_after: RecordCreate["status_after"];
  meeting_held_on: Dayjs | null;
  meeting_agreement_pct: number | null;
  note?: string;
  reason?: string;
}

const FIELDS = [
  "household_id",
  "kind",
  "status_before",
  "status_after",
  "meeting_held_on",
  "meeting_agreement_pct",
  "note",
  "reason",
] as const;

export function RecordDialog({
  campaignId,
  open,
  onClose,
  onSaved,
  editing,
  householdId,
}: {
  campaignId: string;
  /** The household whose result is recorded (from its page): fixed, not typed. */
  householdId?: string;
  /** A record to change (draft or returned) or to correct (approved); none: a new record. */
  editing?: { record: ReviewRecord; mode: Exclude<RecordMode, null> } | null;
  open: boolean;
  onClose: () => void;
  onSaved: (record: ReviewRecord) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: (values: Values) => {
      const body = {
        kind: values.kind,
        status_before: values.status_before,
        status_after: values.status_after,
        meeting_held_on: values.meeting_held_on?.format("YYYY-MM-DD") ?? "",
        meeting_agreement_pct: values.meeting_agreement_pct ?? 0,
        note: values.note?.trim() ? values.note.trim() : null,
      };
      if (editing?.mode === "edit") return updateRecord(api, editing.record, body);
      if (editing?.mode === "correct")
        return correctRecord(api, editing.record.id, { ...body, reason: values.reason?.trim() ?? "" });
      return createRecord(api, campaignId, { ...body, household_id: values.household_id.trim() });
    },
    onMutate: () => setProblem(null),
    onSuccess: (record) => {
      form.resetFields();
      onSaved(record);
    },
    onError: (error) => {
      const p = toProblem(error);
      const onFields = p.errors.filter((e) => e.field && (FIELDS as readonly string[]).includes(e.field));
      form.setFields(
        onFields.map((e) => ({
          name: e.field as (typeof FIELDS)[number],
          errors: [t(fieldErrorMessage(e, i18n) as "fieldErrors.invalid", { defaultValue: e.message })],
        })),
      );
      setProblem(p);
    },
  });
  const required = [{ required: true, message: t("validation.required") }];
  const statusOptions = REVIEW_STATUSES.map((value) => ({ value, label: t(`reviews.statuses.${value}`) }));
  return (
    <Modal
      open={open}
      title={
        editing
          ? t(editing.mode === "edit" ? "creates.record.editTitle" : "creates.record.correctTitle")
          : t("reviews.recordTitle")
      }
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      destroyOnHidden
      width={640}
    >
      <ProblemAlert error={problem} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => mutation.mutate(values)}
        initialValues={
          editing
            ? {
                household_id: editing.record.household_id,
                kind: editing.record.kind,
                status_before: editing.record.status_before,
                status_after: editing.record.status_after,
                meeting_held_on: dayjs(editing.record.meeting_held_on),
                meeting_agreement_pct: Number(editing.record.meeting_agreement_pct),
                note: editing.record.note ?? "",
              }
            : {
                kind: "new_case",
                status_before: "none",
                status_after: "poor",
                ...(householdId ? { household_id: householdId } : {}),
              }
        }
      >
        <Form.Item
          name="household_id"
          label={t("reviews.householdId")}
          rules={[...required, { pattern: /^[0-9a-fA-F-]{36}$/, message: t("reviews.householdIdInvalid") }]}
        >
          <Input autoComplete="off" disabled={Boolean(editing || householdId)} />
        </Form.Item>
        <Form.Item name="kind" label={t("reviews.kind")} rules={required}>
          <Select options={RECORD_KINDS.map((value) => ({ value, label: t(`reviews.kinds.${value}`) }))} />
        </Form.Item>
        <Form.Item name="status_before" label={t("reviews.statusBefore")} rules={required}>
          <Select options={statusOptions} />
        </Form.Item>
        <Form.Item name="status_after" label={t("reviews.statusAfter")} rules={required}>
          <Select options={statusOptions} />
        </Form.Item>
        <Form.Item name="meeting_held_on" label={t("reviews.meetingHeldOn")} rules={required}>
          <DatePicker format="DD/MM/YYYY" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="meeting_agreement_pct" label={t("reviews.meetingAgreement")} rules={required}>
          <InputNumber min={0} max={100} step={0.1} suffix="%" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="note" label={t("reviews.note")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {editing?.mode === "correct" ? (
          <Form.Item
            name="reason"
            label={t("creates.record.reason")}
            rules={[...required, { min: 5, max: 2000, message: t("creates.record.reasonLength") }]}
          >
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
