import {
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from "antd";
import dayjs from "dayjs";
import type { ReactNode } from "react";
import { type UseFormReturn, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useCommunes } from "@/features/admin-units/queries";
import { FormField } from "@/lib/forms";
import { type LandUsePlanValues, PLAN_LEVELS, PLAN_STATUSES } from "./schema";

export interface LandUsePlanFormProps {
  form: UseFormReturn<LandUsePlanValues>;
  mode: "create" | "edit";
  provinceCodes: string[];
  areaNames: Record<string, string>;
  submitting: boolean;
  onSubmit: (values: LandUsePlanValues) => void;
  onCancel: () => void;
  notices?: ReactNode;
}

export function LandUsePlanForm({
  form,
  mode,
  provinceCodes,
  areaNames,
  submitting,
  onSubmit,
  onCancel,
  notices,
}: LandUsePlanFormProps) {
  const { t, i18n } = useTranslation();
  const { control } = form;
  const provinceCode = useWatch({ control, name: "province_code" });
  const communes = useCommunes(mode === "create" ? provinceCode : undefined);
  const editing = mode === "edit";
  const numberLocale = i18n.language === "en" ? "en-GB" : "vi-VN";

  return (
    <Card>
      {notices}
      <Form layout="vertical" onFinish={form.handleSubmit(onSubmit)} disabled={submitting} noValidate>
        <Row gutter={16}>
          <Col xs={24}>
            <FormField control={control} name="name" label={t("landUsePlans.name")} required>
              {(field) => <Input {...field} maxLength={300} autoComplete="off" />}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="province_code" label={t("landUsePlans.provinceCode")} required>
              {(field) => (
                <Select
                  id={field.id}
                  value={field.value || undefined}
                  onChange={(value) => {
                    field.onChange(value);
                    form.setValue("commune_code", "", { shouldDirty: true });
                  }}
                  disabled={editing}
                  options={(editing ? [field.value] : provinceCodes).map((code) => ({
                    value: code,
                    label: areaNames[code] ? `${areaNames[code]} (${code})` : code,
                  }))}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="commune_code" label={t("landUsePlans.communeCode")}>
              {(field) => (
                <Select
                  id={field.id}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  disabled={editing}
                  loading={communes.isFetching}
                  showSearch={{ optionFilterProp: "label" }}
                  options={[
                    { value: "", label: t("landUsePlans.communeAll") },
                    ...(editing && field.value
                      ? [
                          {
                            value: field.value,
                            label: areaNames[field.value]
                              ? `${areaNames[field.value]} (${field.value})`
                              : field.value,
                          },
                        ]
                      : (communes.data ?? []).map((unit) => ({
                          value: unit.code,
                          label: `${unit.name} (${unit.code})`,
                        }))),
                  ]}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField
              control={control}
              name="legacy_area_code"
              label={t("landUsePlans.legacyAreaCode")}
              help={t("landUsePlans.legacyAreaCodeHelp")}
            >
              {(field) => <Input {...field} maxLength={16} disabled={editing} autoComplete="off" />}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="level" label={t("landUsePlans.level")} required>
              {(field) => (
                <Select
                  id={field.id}
                  value={field.value || undefined}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  options={PLAN_LEVELS.map((level) => ({
                    value: level,
                    label: t(`landUsePlans.levels.${level}`),
                  }))}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="status" label={t("landUsePlans.status")} required>
              {(field) => (
                <Select
                  id={field.id}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  options={PLAN_STATUSES.map((status) => ({
                    value: status,
                    label: t(`landUsePlans.statuses.${status}`),
                  }))}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField
              control={control}
              name="social_housing_land_m2"
              label={t("landUsePlans.socialHousingLand")}
            >
              {(field) => (
                <InputNumber<number>
                  id={field.id}
                  style={{ width: "100%" }}
                  min={0}
                  precision={0}
                  value={field.value}
                  onChange={(value) => field.onChange(value ?? null)}
                  onBlur={field.onBlur}
                  formatter={(value) =>
                    value === undefined || value === null || `${value}` === ""
                      ? ""
                      : new Intl.NumberFormat(numberLocale).format(Number(value))
                  }
                  parser={(text) => Number((text ?? "").replace(/\D/g, ""))}
                />
              )}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="decision_number" label={t("landUsePlans.decisionNumber")}>
              {(field) => <Input {...field} maxLength={50} autoComplete="off" placeholder="1516/QĐ-TTg" />}
            </FormField>
          </Col>
          <Col xs={24} md={8}>
            <FormField control={control} name="decision_date" label={t("landUsePlans.decisionDate")}>
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
          <Col xs={24} md={8}>
            <FormField control={control} name="approved_by" label={t("landUsePlans.approvedBy")}>
              {(field) => <Input {...field} maxLength={200} autoComplete="off" />}
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
