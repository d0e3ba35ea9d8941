import { UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  InputNumber,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Upload,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { CommuneSelect } from "@/components/CommuneSelect";
import { KeysetList } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { campaignsQuery } from "@/features/reviews/queries";
import { formatDateTime, formatNumber } from "@/lib/format";
import { fieldErrorMessage } from "@/lib/problemText";
import {
  downloadExport,
  type ImportKind,
  type ImportMode,
  type ImportRead,
  importsQuery,
  progressPercent,
  uploadImport,
} from "./queries";
import { IMPORTERS, REVIEW_IMPORTERS } from "./screen";
import type { ImportsSearch } from "./search";

const route = getRouteApi("/imports/");

export function ImportStatusTag({ status }: { status: ImportRead["status"] }) {
  const { t } = useTranslation();
  const color = {
    queued: "default",
    running: "processing",
    completed: "success",
    rejected: "warning",
    failed: "error",
  }[status];
  return (
    <Tag color={color} data-testid="import-status">
      {t(`imports.statuses.${status}`)}
    </Tag>
  );
}

function UploadCard() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const navigate = useNavigate();
  const canReview = hasRole(user, REVIEW_IMPORTERS);
  const [file, setFile] = useState<File | null>(null);
  const [commune, setCommune] = useState<string | undefined>(user.areaCodes.find((c) => c.length === 5));
  const [mode, setMode] = useState<ImportMode>("accept_valid_rows");
  const [kind, setKind] = useState<ImportKind>("households");
  const [campaign, setCampaign] = useState<string | undefined>();
  const [meetingOn, setMeetingOn] = useState<Dayjs | null>(null);
  const [pct, setPct] = useState<number | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const campaigns = useQuery({ ...campaignsQuery(api, {}), enabled: canReview && kind === "review_results" });
  const mutation = useMutation({
    mutationFn: () =>
      uploadImport(api, {
        file: file as File,
        commune_code: commune ?? "",
        mode,
        kind,
        campaign_id: campaign,
        meeting_held_on: meetingOn?.format("YYYY-MM-DD"),
        meeting_agreement_pct: pct ?? undefined,
      }),
    onMutate: () => setProblem(null),
    onSuccess: (row) => void navigate({ to: "/imports/$importId", params: { importId: row.id } }),
    onError: (error) => setProblem(toProblem(error)),
  });
  const start = () => {
    const needed = [
      ...(file ? [] : ["file"]),
      ...(commune ? [] : ["commune_code"]),
      ...(kind === "review_results" && !campaign ? ["campaign_id"] : []),
      ...(kind === "review_results" && !meetingOn ? ["meeting_held_on"] : []),
      ...(kind === "review_results" && pct === null ? ["meeting_agreement_pct"] : []),
    ];
    setMissing(needed);
    if (needed.length === 0) mutation.mutate();
  };
  const p = problem ? toProblem(problem) : null;
  const errorOf = (field: string) => {
    if (missing.includes(field)) return t("validation.required");
    const e = p?.errors.find((x) => x.pointer.endsWith(`/${field}`));
    return e
      ? t(fieldErrorMessage(e, i18n) as "fieldErrors.invalid", { defaultValue: e.message })
      : undefined;
  };
  const item = (field: string, label: string, children: React.ReactNode, required = true) => (
    <Form.Item
      label={label}
      required={required}
      htmlFor={`import-${field}`}
      validateStatus={errorOf(field) ? "error" : undefined}
      help={errorOf(field)}
    >
      {children}
    </Form.Item>
  );
  return (
    <Card size="small" title={t("imports.uploadTitle")} style={{ height: "100%" }}>
      <ProblemAlert error={problem} />
      <Form layout="vertical" onFinish={start}>
        {item(
          "file",
          t("imports.file"),
          <Upload
            accept=".csv,.xlsx,.xls,.ods"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: "file", name: file.name, status: "done" }] : []}
          >
            <Button id="import-file" icon={<UploadOutlined />}>
              {t("imports.chooseFile")}
            </Button>
          </Upload>,
        )}
        {item(
          "commune_code",
          t("households.commune"),
          <CommuneSelect label={t("households.commune")} value={commune} onChange={setCommune} />,
        )}
        {item(
          "mode",
          t("imports.mode"),
          <Radio.Group id="import-mode" value={mode} onChange={(e) => setMode(e.target.value)}>
            <Radio value="accept_valid_rows">{t("imports.modes.accept_valid_rows")}</Radio>
            <Radio value="all_or_nothing">{t("imports.modes.all_or_nothing")}</Radio>
          </Radio.Group>,
        )}
        {canReview
          ? item(
              "kind",
              t("imports.kind"),
              <Select
                id="import-kind"
                style={{ width: 280 }}
                value={kind}
                onChange={setKind}
                options={(["households", "review_results"] as const).map((value) => ({
                  value,
                  label: t(`imports.kinds.${value}`),
                }))}
              />,
            )
          : null}
        {kind === "review_results" ? (
          <Row gutter={12}>
            <Col xs={24} md={10}>
              {item(
                "campaign_id",
                t("imports.campaign"),
                <Select
                  id="import-campaign_id"
                  value={campaign}
                  onChange={setCampaign}
                  loading={campaigns.isLoading}
                  options={(campaigns.data?.items ?? []).map((c) => ({
                    value: c.id,
                    label: t("reviews.campaignOf", { year: c.year }),
                  }))}
                />,
              )}
            </Col>
            <Col xs={12} md={7}>
              {item(
                "meeting_held_on",
                t("reviews.meetingHeldOn"),
                <DatePicker
                  id="import-meeting_held_on"
                  format="DD/MM/YYYY"
                  value={meetingOn}
                  onChange={setMeetingOn}
                />,
              )}
            </Col>
            <Col xs={12} md={7}>
              {item(
                "meeting_agreement_pct",
                t("reviews.meetingAgreement"),
                <InputNumber
                  id="import-meeting_agreement_pct"
                  min={0}
                  max={100}
                  suffix="%"
                  value={pct}
                  onChange={setPct}
                />,
              )}
            </Col>
          </Row>
        ) : null}
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t("imports.start")}
        </Button>
      </Form>
    </Card>
  );
}

export function ExportCard() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const [commune, setCommune] = useState<string | undefined>();
  const [problem, setProblem] = useState<unknown>(null);
  const download = useMutation({
    mutationFn: (format: "csv" | "xlsx") => downloadExport(api, format, commune),
    onMutate: () => setProblem(null),
    onSuccess: () => void message.success(t("imports.downloaded")),
    onError: (error) => setProblem(toProblem(error)),
  });
  return (
    <Card size="small" title={t("imports.exportTitle")} style={{ height: "100%" }}>
      <ProblemAlert error={problem} />
      <Form layout="vertical">
        <Form.Item label={t("households.commune")}>
          <CommuneSelect label={t("households.commune")} value={commune} onChange={setCommune} />
        </Form.Item>
        <Space wrap>
          <Button
            loading={download.isPending && download.variables === "xlsx"}
            onClick={() => download.mutate("xlsx")}
          >
            {t("imports.exportXlsx")}
          </Button>
          <Button
            loading={download.isPending && download.variables === "csv"}
            onClick={() => download.mutate("csv")}
          >
            {t("imports.exportCsv")}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

export function ImportsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const canImport = hasRole(user, IMPORTERS);
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery({ ...importsQuery(api, search), enabled: canImport });
  const go = (next: ImportsSearch) => navigate({ search: next });
  const columns: ColumnsType<ImportRead> = [
    {
      title: t("imports.filename"),
      dataIndex: "filename",
      render: (name: string, row) => (
        <Link to="/imports/$importId" params={{ importId: row.id }}>
          {name}
        </Link>
      ),
    },
    { title: t("households.commune"), dataIndex: "commune_code", width: 100 },
    { title: t("imports.kind"), dataIndex: "kind", render: (k: ImportKind) => t(`imports.kinds.${k}`) },
    {
      title: t("imports.status"),
      dataIndex: "status",
      width: 130,
      render: (s: ImportRead["status"]) => <ImportStatusTag status={s} />,
    },
    {
      title: t("imports.progress"),
      key: "progress",
      width: 160,
      render: (_, row) => <Progress percent={progressPercent(row)} size="small" />,
    },
    {
      title: t("imports.errorRows"),
      dataIndex: "error_rows",
      width: 100,
      align: "right",
      render: (v: number) => formatNumber(v, i18n.language),
    },
    {
      title: t("imports.createdAt"),
      dataIndex: "created_at",
      width: 150,
      render: (v: string) => formatDateTime(v),
    },
  ];
  return (
    <>
      <PageHeader title={t("imports.title")} subtitle={t("imports.subtitle")} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {canImport ? (
          <Col xs={24} lg={14}>
            <UploadCard />
          </Col>
        ) : null}
        <Col xs={24} lg={canImport ? 10 : 24}>
          <ExportCard />
        </Col>
      </Row>
      {canImport ? (
        <Card size="small" title={t("imports.listTitle")}>
          <KeysetList query={query} search={search} go={go} columns={columns} rowKey="id" scrollX={900} />
        </Card>
      ) : null}
    </>
  );
}
