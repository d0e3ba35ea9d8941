import { Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Switch, Typography } from "antd";
import dayjs from "dayjs";
import type { ReactNode } from "react";
import type { UseFormReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { FormField } from "@/lib/forms";
import { FUNDING_KINDS, type FundingSourceValues } from "./schema";

export interface FundingSourceFormProps {
  form: UseFormReturn<FundingSourceValues>;
  mode: "create" | "edit";
  provinceCodes: string[];
  areaNames: Record<string, string>;
  submitting: boolean;
  onSubmit: (values: FundingSourceValues) => void;
  onCancel: () => void;
  /** Alerts shown above the fields (a problem, a restored draft). */
  notices?: ReactNode;
}

export function FundingSourceForm({
  form,
  mode,
  provinceCodes,
  areaNames,
  submitting,
  onSubmit,
  onCancel,
  notices,
}: FundingSourceFormProps) {
  const { t } = useTranslation();
  const { control } = form;
  return (
    <Card>
      {notices}
      <Form layout="vertical" onFinish={form.handleSubmit(onSubmit)} disabled={submitting} noValidate>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <FormField control={control} name="name" label={t("fundingSources.name")} required>
              {(field) => <Input {...field} maxLength={200} autoComplete="off" />}
            </FormField>
          </Col>
          <Col xs={24} md={12}>
            <FormField control={control} name="kind" label={t("fundingSources.kind")} required>
              {(field) => (
                <Select
                  id={field.id}
                  value={field.value || undefined}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  ref={field.ref}
                  showSearch={{ optionFilterProp: "label" }}
                  options={FUNDING_KINDS.map((kind) => ({
                    value: kind,
                    label: t(`fundingSources.kinds.${kind}`),
                  }))}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField
              control={control}
              name="province_code"
              label={t("fundingSources.provinceCode")}
              required
            >
              {(field) => (
                <Select
                  id={field.id}
                  value={field.value || undefined}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  disabled={mode === "edit"}
                  options={(mode === "edit" ? [field.value] : provinceCodes).map((code) => ({
                    value: code,
                    label: areaNames[code] ? `${areaNames[code]} (${code})` : code,
                  }))}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="decision_number" label={t("fundingSources.decisionNumber")}>
              {(field) => <Input {...field} maxLength={50} autoComplete="off" placeholder="1234/QĐ-UBND" />}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="decision_date" label={t("fundingSources.decisionDate")}>
              {(field) => (
                <DatePicker
                  id={field.id}
                  style={{ width: "100%" }}
                  format="DD/MM/YYYY"
                  value={field.value ? dayjs(field.value) : null}
                  onChange={(date) => field.onChange(date ? date.format("YYYY-MM-DD") : "")}
                  onBlur={field.onBlur}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24}>
            <FormField control={control} name="note" label={t("fundingSources.note")}>
              {(field) => <Input.TextArea {...field} rows={3} maxLength={4000} />}
            </FormField>
          </Col>
          <Col xs={24}>
            <FormField control={control} name="active" label={t("fundingSources.active")}>
              {(field) => (
                <Switch id={field.id} checked={field.value} onChange={field.onChange} ref={field.ref} />
              )}
            </FormField>
          </Col>
        </Row>
        <Typography.Paragraph type="secondary">{t("common.unsavedHint")}</Typography.Paragraph>
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {mode === "create" ? t("common.create") : t("common.save")}
          </Button>
          <Button onClick={onCancel} disabled={false}>
            {t("common.cancel")}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
