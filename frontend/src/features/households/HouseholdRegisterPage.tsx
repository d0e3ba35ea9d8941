import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { type Path, type UseFormReturn, useFieldArray, useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ApiProblem, toProblem, unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { adminUnitQuery, useAreaNames, useCommunes } from "@/features/admin-units/queries";
import { FormField, useDiscardDraft, useFormDraft } from "@/lib/forms";
import { fieldErrorMessage } from "@/lib/problemText";
import { householdsKey } from "./queries";
import {
  emptyMember,
  emptyRegistration,
  GENDERS,
  isRegistrationField,
  MAX_MEMBERS,
  MEMBER_RELATIONSHIPS,
  type RegistrationValues,
  registrationBody,
  registrationSchema,
} from "./register";

const DRAFT_KEY = "household:new";

/** The communes the officer may register households in, and the province of the one chosen. */
function useCommuneChoice(communeCode: string) {
  const api = useApi();
  const user = useUser();
  const province = user.areaCodes.find((code) => code.length === 2);
  const communes = useCommunes(province);
  const own = province ? [] : user.areaCodes.filter((code) => code.length === 5);
  const names = useAreaNames(own);
  const unit = useQuery({
    ...adminUnitQuery(api, communeCode),
    enabled: !province && /^\d{5}$/.test(communeCode),
  });
  const options = province
    ? (communes.data ?? []).map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }))
    : own.map((code) => ({ value: code, label: names[code] ? `${names[code]} (${code})` : code }));
  return {
    options,
    loading: communes.isLoading,
    firstOwn: own[0] ?? "",
    provinceCode: province ?? unit.data?.parent_code ?? null,
  };
}

function PersonFields({
  form,
  prefix,
  head,
}: {
  form: UseFormReturn<RegistrationValues>;
  prefix: "head" | `members.${number}`;
  head: boolean;
}) {
  const { t } = useTranslation();
  const name = <F extends string>(field: F) => `${prefix}.${field}` as Path<RegistrationValues>;
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <FormField
          control={form.control}
          name={name("full_name")}
          label={t("householdForms.person.fullName")}
          required
        >
          {(field, invalid) => (
            <Input
              {...field}
              value={field.value as string}
              status={invalid ? "error" : undefined}
              maxLength={200}
            />
          )}
        </FormField>
      </Col>
      <Col xs={12} md={6}>
        <FormField
          control={form.control}
          name={name("gender")}
          label={t("householdForms.person.gender")}
          required
        >
          {(field) => (
            <Select
              id={field.id}
              value={field.value as string}
              onChange={field.onChange}
              onBlur={field.onBlur}
              options={GENDERS.map((g) => ({ value: g, label: t(`households.genders.${g}`) }))}
            />
          )}
        </FormField>
      </Col>
      {head ? null : (
        <Col xs={12} md={6}>
          <FormField
            control={form.control}
            name={name("relationship")}
            label={t("householdForms.person.relationship")}
            required
          >
            {(field) => (
              <Select
                id={field.id}
                value={field.value as string}
                onChange={field.onChange}
                onBlur={field.onBlur}
                options={MEMBER_RELATIONSHIPS.map((r) => ({
                  value: r,
                  label: t(`households.relationships.${r}`),
                }))}
              />
            )}
          </FormField>
        </Col>
      )}
      <Col xs={12} md={6}>
        <FormField
          control={form.control}
          name={name("date_of_birth")}
          label={t("householdForms.person.dateOfBirth")}
        >
          {(field, invalid) => (
            <Input
              {...field}
              value={field.value as string}
              type="date"
              status={invalid ? "error" : undefined}
            />
          )}
        </FormField>
      </Col>
      <Col xs={12} md={6}>
        <FormField
          control={form.control}
          name={name("birth_year")}
          label={t("householdForms.person.birthYear")}
        >
          {(field, invalid) => (
            <InputNumber
              id={field.id}
              value={field.value as number | null}
              onChange={field.onChange}
              onBlur={field.onBlur}
              min={1900}
              max={2399}
              status={invalid ? "error" : undefined}
              style={{ width: "100%" }}
            />
          )}
        </FormField>
      </Col>
      <Col xs={24} md={6}>
        <FormField
          control={form.control}
          name={name("citizen_id")}
          label={t("householdForms.person.citizenId")}
          help={t(head ? "householdForms.person.citizenIdHeadHelp" : "householdForms.person.citizenIdHelp")}
          required={head}
        >
          {(field, invalid) => (
            <Input
              {...field}
              value={field.value as string}
              inputMode="numeric"
              autoComplete="off"
              maxLength={20}
              status={invalid ? "error" : undefined}
            />
          )}
        </FormField>
      </Col>
      <Col xs={24} md={6}>
        <FormField control={form.control} name={name("phone")} label={t("householdForms.person.phone")}>
          {(field, invalid) => (
            <Input
              {...field}
              value={field.value as string}
              type="tel"
              autoComplete="off"
              maxLength={20}
              status={invalid ? "error" : undefined}
            />
          )}
        </FormField>
      </Col>
    </Row>
  );
}

/** A new household with its head (a citizen ID is required) and members, in one POST; the service's
 * field errors (`/body/members/1/citizen_id`...) go next to the fields they name. */
export function HouseholdRegisterPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const form = useForm<RegistrationValues>({
    resolver: zodResolver(registrationSchema),
    defaultValues: emptyRegistration(),
  });
  const members = useFieldArray({ control: form.control, name: "members" });
  const commune = form.watch("commune_code");
  const choice = useCommuneChoice(commune);
  // A commune officer of one commune has nothing to choose.
  const only = choice.options.length === 1 ? choice.firstOwn : "";
  useEffect(() => {
    if (only && !form.getValues("commune_code")) form.setValue("commune_code", only);
  }, [only, form]);
  const { restored } = useFormDraft(DRAFT_KEY, form, { ready: true });
  const discardDraft = useDiscardDraft(DRAFT_KEY);
  const [problem, setProblem] = useState<unknown>(null);

  const mutation = useMutation({
    mutationFn: (values: RegistrationValues) => {
      if (!choice.provinceCode)
        throw new ApiProblem({
          status: 0,
          code: "province_unknown",
          detail: t("householdForms.register.provinceUnknown"),
        });
      return unwrap(
        api.registry.POST("/v1/households", { body: registrationBody(values, choice.provinceCode) }),
      );
    },
    onMutate: () => setProblem(null),
    onSuccess: async (created) => {
      discardDraft();
      void message.success(t("householdForms.register.done"));
      await queryClient.invalidateQueries({ queryKey: householdsKey });
      await navigate({ to: "/households/$householdId", params: { householdId: created.id } });
    },
    onError: (error) => {
      const p = toProblem(error);
      let first = true;
      for (const e of p.errors) {
        if (e.field && isRegistrationField(e.field)) {
          form.setError(
            e.field as Path<RegistrationValues>,
            { type: "server", message: fieldErrorMessage(e, i18n) },
            { shouldFocus: first },
          );
          first = false;
        }
      }
      setProblem(p);
    },
  });

  const back = (
    <Link to="/households">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  return (
    <>
      <PageHeader
        title={t("householdForms.register.title")}
        subtitle={t("householdForms.register.subtitle")}
        extra={back}
      />
      {restored ? (
        <Alert type="info" showIcon title={t("common.draftRestored")} style={{ marginBottom: 16 }} />
      ) : null}
      <Form
        layout="vertical"
        component="form"
        requiredMark
        onFinish={() => void form.handleSubmit((values) => mutation.mutate(values))()}
        style={{ maxWidth: 1100 }}
      >
        <Typography.Paragraph type="secondary">{t("common.unsavedHint")}</Typography.Paragraph>
        <Card size="small" title={t("householdForms.register.household")} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <FormField
                control={form.control}
                name="commune_code"
                label={t("householdForms.register.commune")}
                required
              >
                {(field, invalid) => (
                  <Select
                    id={field.id}
                    value={field.value || undefined}
                    onChange={field.onChange}
                    onBlur={field.onBlur}
                    loading={choice.loading}
                    showSearch={{ optionFilterProp: "label" }}
                    options={choice.options}
                    status={invalid ? "error" : undefined}
                  />
                )}
              </FormField>
            </Col>
            <Col xs={24} md={16}>
              <FormField control={form.control} name="address" label={t("households.address")} required>
                {(field, invalid) => (
                  <Input {...field} maxLength={300} status={invalid ? "error" : undefined} />
                )}
              </FormField>
            </Col>
            <Col xs={24} md={8}>
              <FormField control={form.control} name="hamlet" label={t("households.hamlet")}>
                {(field, invalid) => (
                  <Input {...field} maxLength={120} status={invalid ? "error" : undefined} />
                )}
              </FormField>
            </Col>
            <Col xs={12} md={8}>
              <FormField
                control={form.control}
                name="residence_area"
                label={t("households.residenceArea")}
                required
              >
                {(field) => (
                  <Select
                    id={field.id}
                    value={field.value}
                    onChange={field.onChange}
                    onBlur={field.onBlur}
                    options={(["urban", "rural"] as const).map((value) => ({
                      value,
                      label: t(`households.residenceAreas.${value}`),
                    }))}
                  />
                )}
              </FormField>
            </Col>
            <Col xs={12} md={8}>
              <FormField
                control={form.control}
                name="registered_on"
                label={t("householdForms.register.registeredOn")}
                help={t("householdForms.register.registeredOnHelp")}
              >
                {(field, invalid) => <Input {...field} type="date" status={invalid ? "error" : undefined} />}
              </FormField>
            </Col>
          </Row>
        </Card>

        <Card
          size="small"
          title={t("householdForms.register.head")}
          style={{ marginBottom: 16 }}
          data-testid="head"
        >
          <PersonFields form={form} prefix="head" head />
        </Card>

        <Card
          size="small"
          title={t("householdForms.register.members")}
          style={{ marginBottom: 16 }}
          extra={
            <Button
              icon={<PlusOutlined />}
              disabled={members.fields.length >= MAX_MEMBERS}
              onClick={() => members.append(emptyMember())}
            >
              {t("householdForms.register.addMember")}
            </Button>
          }
        >
          {members.fields.length === 0 ? (
            <Typography.Text type="secondary">{t("householdForms.register.noMembers")}</Typography.Text>
          ) : null}
          {members.fields.map((member, index) => (
            <Card
              key={member.id}
              type="inner"
              size="small"
              title={t("householdForms.register.member", { n: index + 1 })}
              style={{ marginBottom: 12 }}
              data-testid={`member-${index}`}
              extra={
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t("householdForms.register.removeMember", { n: index + 1 })}
                  onClick={() => members.remove(index)}
                />
              }
            >
              <PersonFields form={form} prefix={`members.${index}`} head={false} />
            </Card>
          ))}
        </Card>

        <ProblemAlert error={problem} />
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={mutation.isPending}>
            {t("householdForms.register.submit")}
          </Button>
          <Button onClick={() => void navigate({ to: "/households" })}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </>
  );
}
