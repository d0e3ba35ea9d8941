import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem, unwrap } from "@/api/problem";
import { useApi, useUser } from "@/app/services";
import { hasRole } from "@/auth/access";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { Money } from "@/features/finance/ui";
import { fetchBlob } from "@/lib/download";
import { formatDate, formatDateTime, formatNumber } from "@/lib/format";
import { AssignCaseButton } from "./AssignCase";
import { CaseStatusTag } from "./CasesPage";
import {
  type Case,
  caseFindingsQuery,
  casePhotosQuery,
  caseQuery,
  caseSanctionsQuery,
  caseViolationsQuery,
  type Evidence,
  type Finding,
  inspectionKey,
  type Sanction,
  type Violation,
  type ViolationType,
  violationTypesQuery,
} from "./queries";
import { CASE_DECIDERS, casesScreen } from "./screen";
import { OUTCOMES } from "./search";

const route = getRouteApi("/inspection-cases/$caseId");
type Act = "start" | "conclude" | "close" | "schedule_recheck";
const today = () => new Date().toISOString().slice(0, 10);

function Photo({ caseId, evidence }: { caseId: string; evidence: Evidence }) {
  const { t } = useTranslation();
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    void fetchBlob(
      api.inspection.GET("/v1/inspection-cases/{case_id}/photos/{evidence_id}/content", {
        params: { path: { case_id: caseId, evidence_id: evidence.id } },
        parseAs: "blob",
      }),
    )
      .then(({ blob }) => {
        if (!live || typeof URL.createObjectURL !== "function") return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, caseId, evidence.id]);
  return (
    <Card size="small" style={{ width: 220 }}>
      {url ? (
        <Image
          src={url}
          width={196}
          alt={t("inspection.cases.photoAlt", { at: formatDateTime(evidence.captured_at) })}
        />
      ) : (
        <Skeleton.Image active />
      )}
      <div style={{ fontSize: 12, marginTop: 4 }}>
        {formatDateTime(evidence.captured_at)}
        <br />
        {evidence.latitude.toFixed(5)}, {evidence.longitude.toFixed(5)}
      </div>
    </Card>
  );
}

function PhotoUpload({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [lat, setLat] = useState<number | null>(null);
  const [lon, setLon] = useState<number | null>(null);
  const [at, setAt] = useState(() => new Date().toISOString().slice(0, 16));
  const [problem, setProblem] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(
        api.inspection.POST("/v1/inspection-cases/{case_id}/photos", {
          params: {
            path: { case_id: caseId },
            query: { latitude: lat ?? 0, longitude: lon ?? 0, captured_at: new Date(at).toISOString() },
          },
          body: file as unknown as string,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { "Content-Type": file?.type || "image/jpeg" },
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      void message.success(t("inspection.cases.uploaded"));
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: [...inspectionKey, "case", caseId] });
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  const err = (name: string) =>
    problem ? toProblem(problem).errors.find((e) => e.field === name)?.message : undefined;
  return (
    <Form
      layout="inline"
      style={{ rowGap: 8, marginTop: 8 }}
      onFinish={() => {
        setTouched(true);
        if (!file || lat === null || lon === null) return;
        mutation.mutate();
      }}
    >
      <ProblemAlert error={problem && toProblem(problem).errors.length === 0 ? problem : null} />
      <Form.Item
        label={t("inspection.cases.photoFile")}
        htmlFor="photo-file"
        required
        validateStatus={touched && !file ? "error" : undefined}
      >
        <input
          id="photo-file"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </Form.Item>
      <Form.Item
        label={t("inspection.cases.latitude")}
        htmlFor="photo-lat"
        required
        validateStatus={(touched && lat === null) || err("latitude") ? "error" : undefined}
        help={err("latitude")}
      >
        <InputNumber id="photo-lat" value={lat} onChange={setLat} min={-90} max={90} step={0.0001} />
      </Form.Item>
      <Form.Item
        label={t("inspection.cases.longitude")}
        htmlFor="photo-lon"
        required
        validateStatus={(touched && lon === null) || err("longitude") ? "error" : undefined}
        help={err("longitude")}
      >
        <InputNumber id="photo-lon" value={lon} onChange={setLon} min={-180} max={180} step={0.0001} />
      </Form.Item>
      <Form.Item
        label={t("inspection.cases.capturedAt")}
        htmlFor="photo-at"
        required
        validateStatus={err("captured_at") ? "error" : undefined}
        help={err("captured_at")}
      >
        <Input id="photo-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
      </Form.Item>
      <Button htmlType="submit" loading={mutation.isPending}>
        {t("inspection.cases.uploadPhoto")}
      </Button>
    </Form>
  );
}

function FindingForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Finding["outcome"]>("non_compliant");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(
        api.inspection.POST("/v1/inspection-cases/{case_id}/findings", {
          params: { path: { case_id: caseId } },
          body: { outcome, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setNote("");
      await queryClient.invalidateQueries({ queryKey: [...inspectionKey, "case", caseId] });
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  return (
    <Form layout="inline" style={{ rowGap: 8, marginTop: 8 }} onFinish={() => mutation.mutate()}>
      <ProblemAlert error={problem} />
      <Form.Item label={t("inspection.cases.outcome")} htmlFor="finding-outcome">
        <Select
          id="finding-outcome"
          style={{ width: 180 }}
          value={outcome}
          onChange={setOutcome}
          options={OUTCOMES.map((o) => ({ value: o, label: t(`inspection.cases.outcomes.${o}`) }))}
        />
      </Form.Item>
      <Form.Item label={t("inspection.cases.note")} htmlFor="finding-note">
        <Input
          id="finding-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ width: 320 }}
        />
      </Form.Item>
      <Button htmlType="submit" loading={mutation.isPending}>
        {t("inspection.cases.addFinding")}
      </Button>
    </Form>
  );
}

function ActionModal({
  act,
  c,
  etag,
  onClose,
}: {
  act: Act | null;
  c: Case;
  etag: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [date, setDate] = useState(today());
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: async () => {
      const params = { path: { case_id: c.id }, header: { "If-Match": etag } };
      switch (act) {
        case "start":
          return unwrap(api.inspection.POST("/v1/inspection-cases/{case_id}/start", { params, body: {} }));
        case "conclude":
          return unwrap(
            api.inspection.POST("/v1/inspection-cases/{case_id}/conclude", {
              params,
              body: { conclusion: text.trim(), concluded_on: date },
            }),
          );
        case "close":
          return unwrap(
            api.inspection.POST("/v1/inspection-cases/{case_id}/close", {
              params,
              body: text.trim() ? { note: text.trim() } : {},
            }),
          );
        default:
          return unwrap(
            api.inspection.POST("/v1/inspection-cases/{case_id}/rechecks", {
              params,
              body: { due_on: date },
            }),
          );
      }
    },
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      void message.success(t("inspection.cases.done"));
      onClose();
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  return (
    <Modal
      open={act !== null}
      title={act ? t(`inspection.cases.actions.${act}`) : ""}
      okText={act ? t(`inspection.cases.actions.${act}`) : ""}
      cancelText={t("common.cancel")}
      confirmLoading={mutation.isPending}
      onOk={() => mutation.mutate()}
      onCancel={onClose}
      destroyOnHidden
    >
      <ProblemAlert error={problem} />
      <p>{act ? t(`inspection.cases.confirm.${act}`) : ""}</p>
      <Form layout="vertical">
        {act === "conclude" || act === "close" ? (
          <Form.Item
            label={act === "conclude" ? t("inspection.cases.conclusion") : t("inspection.cases.closureNote")}
            htmlFor="case-text"
            required={act === "conclude"}
          >
            <Input.TextArea id="case-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </Form.Item>
        ) : null}
        {act === "conclude" || act === "schedule_recheck" ? (
          <Form.Item
            label={act === "conclude" ? t("inspection.cases.concludedOn") : t("inspection.cases.recheckDue")}
            htmlFor="case-date"
            required
          >
            <Input id="case-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function ViolationForm({ caseId, types }: { caseId: string; types: readonly ViolationType[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [typeId, setTypeId] = useState<string>();
  const [observed, setObserved] = useState(today());
  const [description, setDescription] = useState("");
  const [touched, setTouched] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(
        api.inspection.POST("/v1/inspection-cases/{case_id}/violations", {
          params: { path: { case_id: caseId } },
          body: { violation_type_id: typeId ?? "", observed_on: observed, description: description.trim() },
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setDescription("");
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: [...inspectionKey, "case", caseId] });
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  return (
    <Form
      layout="vertical"
      style={{ marginTop: 8 }}
      onFinish={() => {
        setTouched(true);
        if (typeId && description.trim()) mutation.mutate();
      }}
    >
      <ProblemAlert error={problem} />
      <Form.Item
        label={t("inspection.cases.violationType")}
        htmlFor="violation-type"
        required
        validateStatus={touched && !typeId ? "error" : undefined}
        help={touched && !typeId ? t("finance.allocations.required") : undefined}
      >
        <Select
          id="violation-type"
          value={typeId}
          onChange={setTypeId}
          showSearch={{ optionFilterProp: "label" }}
          options={types.map((v) => ({ value: v.id, label: `${v.code} — ${v.title}` }))}
        />
      </Form.Item>
      <Space wrap>
        <Form.Item label={t("inspection.cases.observedOn")} htmlFor="violation-on" required>
          <Input
            id="violation-on"
            type="date"
            value={observed}
            onChange={(e) => setObserved(e.target.value)}
          />
        </Form.Item>
        <Form.Item
          label={t("inspection.cases.description")}
          htmlFor="violation-description"
          required
          validateStatus={touched && !description.trim() ? "error" : undefined}
          help={touched && !description.trim() ? t("finance.allocations.required") : undefined}
        >
          <Input
            id="violation-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            style={{ width: 300 }}
          />
        </Form.Item>
      </Space>
      <Button htmlType="submit" loading={mutation.isPending}>
        {t("inspection.cases.addViolation")}
      </Button>
    </Form>
  );
}

function SanctionForm({
  c,
  etag,
  violations,
  types,
}: {
  c: Case;
  etag: string;
  violations: readonly Violation[];
  types: readonly ViolationType[];
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [violationId, setViolationId] = useState<string>();
  const [number, setNumber] = useState("");
  const [decided, setDecided] = useState(today());
  const [fine, setFine] = useState<number | null>(null);
  const [remedy, setRemedy] = useState("");
  const [touched, setTouched] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const byId = new Map(types.map((v) => [v.id, v]));
  const chosen = violations.find((v) => v.id === violationId);
  const type = chosen ? byId.get(chosen.violation_type_id) : undefined;
  const mutation = useMutation({
    mutationFn: () =>
      unwrap(
        api.inspection.POST("/v1/inspection-cases/{case_id}/sanctions", {
          params: { path: { case_id: c.id }, header: { "If-Match": etag } },
          body: {
            case_violation_id: violationId ?? "",
            number: number.trim(),
            decided_on: decided,
            fine_vnd: fine ?? 0,
            ...(remedy.trim() ? { remedy: remedy.trim() } : {}),
          },
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      void message.success(t("inspection.cases.saved"));
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
    },
    onError: (e) => setProblem(toProblem(e)),
  });
  const code = problem ? toProblem(problem).code : null;
  return (
    <Form
      layout="vertical"
      style={{ marginTop: 8 }}
      onFinish={() => {
        setTouched(true);
        if (violationId && number.trim() && fine !== null) mutation.mutate();
      }}
    >
      <ProblemAlert
        error={code === "fine_out_of_range" || code === "sanction_number_taken" ? null : problem}
      />
      <Form.Item
        label={t("inspection.cases.violation")}
        htmlFor="sanction-violation"
        required
        validateStatus={touched && !violationId ? "error" : undefined}
      >
        <Select
          id="sanction-violation"
          value={violationId}
          onChange={setViolationId}
          options={violations.map((v) => ({
            value: v.id,
            label: `${byId.get(v.violation_type_id)?.code ?? ""} — ${v.description}`,
          }))}
        />
      </Form.Item>
      <Space wrap>
        <Form.Item
          label={t("inspection.cases.sanctionNumber")}
          htmlFor="sanction-number"
          required
          validateStatus={
            (touched && !number.trim()) || code === "sanction_number_taken" ? "error" : undefined
          }
          help={code === "sanction_number_taken" ? t("problems.sanction_number_taken") : undefined}
        >
          <Input id="sanction-number" value={number} onChange={(e) => setNumber(e.target.value)} />
        </Form.Item>
        <Form.Item label={t("inspection.cases.decidedOn")} htmlFor="sanction-on" required>
          <Input id="sanction-on" type="date" value={decided} onChange={(e) => setDecided(e.target.value)} />
        </Form.Item>
        <Form.Item
          label={t("inspection.cases.fine")}
          htmlFor="sanction-fine"
          required
          validateStatus={(touched && fine === null) || code === "fine_out_of_range" ? "error" : undefined}
          help={
            code === "fine_out_of_range"
              ? t("problems.fine_out_of_range")
              : type
                ? t("inspection.cases.fineRange", {
                    min: formatNumber(type.fine_min_vnd, i18n.language),
                    max: formatNumber(type.fine_max_vnd, i18n.language),
                  })
                : undefined
          }
        >
          <InputNumber id="sanction-fine" value={fine} onChange={setFine} min={0} style={{ width: 200 }} />
        </Form.Item>
      </Space>
      <Form.Item label={t("inspection.cases.remedy")} htmlFor="sanction-remedy">
        <Input id="sanction-remedy" value={remedy} onChange={(e) => setRemedy(e.target.value)} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={mutation.isPending}>
        {t("inspection.cases.actions.sanction")}
      </Button>
    </Form>
  );
}

export function CaseDetailPage() {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { caseId } = route.useParams();
  const isInspector = useCanWrite(casesScreen);
  const query = useQuery(caseQuery(api, caseId));
  const findings = useQuery(caseFindingsQuery(api, caseId));
  const photos = useQuery(casePhotosQuery(api, caseId));
  const violations = useQuery(caseViolationsQuery(api, caseId));
  const sanctions = useQuery(caseSanctionsQuery(api, caseId));
  const types = useQuery(violationTypesQuery(api));
  const [act, setAct] = useState<Act | null>(null);
  const back = (
    <Link to="/inspection-cases">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError)
    return (
      <>
        <PageHeader title={t("inspection.cases.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  if (!query.data) return <Skeleton active />;
  const c = query.data.data;
  const etag = query.data.etag ?? `W/"${c.version}"`;
  const decider = hasRole(user, CASE_DECIDERS);
  const acts = (c.allowed_actions as string[]).filter((a): a is Act =>
    a === "start" || a === "conclude"
      ? isInspector
      : a === "close" || a === "schedule_recheck"
        ? decider
        : false,
  );
  const typeTitle = new Map((types.data?.items ?? []).map((v) => [v.id, `${v.code} — ${v.title}`]));
  const open = c.status === "in_progress" && isInspector;
  return (
    <>
      <PageHeader title={c.title} subtitle={t(`inspection.cases.kinds.${c.kind}`)} extra={back} />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="inspection-case">
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("inspection.cases.status")}>
            <CaseStatusTag status={c.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("inspection.cases.subject")}>{c.subject}</Descriptions.Item>
          <Descriptions.Item label={t("inspection.cases.due")}>
            {formatDate(c.due_on) || t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("inspection.cases.inspector")}>
            {c.assigned_inspector ?? t("common.none")}
          </Descriptions.Item>
          {c.summary ? (
            <Descriptions.Item label={t("inspection.cases.summary")}>{c.summary}</Descriptions.Item>
          ) : null}
          {c.flag_id ? (
            <Descriptions.Item label={t("inspection.cases.fromFlag")}>
              {c.flag_id.slice(0, 8)}
            </Descriptions.Item>
          ) : null}
          {c.conclusion ? (
            <Descriptions.Item label={t("inspection.cases.conclusion")}>
              {c.conclusion} ({formatDate(c.concluded_on)})
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {acts.length || c.allowed_actions.includes("assign") ? (
          <Space style={{ marginTop: 12 }} wrap>
            <AssignCaseButton inspectionCase={c} etag={etag} />
            {acts.map((a) => (
              <Button key={a} type={a === "close" ? "default" : "primary"} onClick={() => setAct(a)}>
                {t(`inspection.cases.actions.${a}`)}
              </Button>
            ))}
          </Space>
        ) : null}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t("inspection.cases.findings")} style={{ marginBottom: 16 }}>
            <Table<Finding>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={findings.data?.items ?? []}
              locale={{ emptyText: t("inspection.cases.none") }}
              columns={[
                {
                  title: t("inspection.cases.outcome"),
                  dataIndex: "outcome",
                  render: (v: Finding["outcome"]) => t(`inspection.cases.outcomes.${v}`),
                },
                { title: t("inspection.cases.note"), dataIndex: "note" },
              ]}
            />
            {open ? <FindingForm caseId={c.id} /> : null}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t("inspection.cases.violations")} style={{ marginBottom: 16 }}>
            <Table<Violation>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={violations.data?.items ?? []}
              locale={{ emptyText: t("inspection.cases.none") }}
              columns={[
                {
                  title: t("inspection.cases.violationType"),
                  dataIndex: "violation_type_id",
                  render: (v: string) => typeTitle.get(v) ?? v.slice(0, 8),
                },
                {
                  title: t("inspection.cases.observedOn"),
                  dataIndex: "observed_on",
                  render: (v: string) => formatDate(v),
                },
                { title: t("inspection.cases.description"), dataIndex: "description" },
              ]}
            />
            {open ? <ViolationForm caseId={c.id} types={types.data?.items ?? []} /> : null}
          </Card>
          <Card size="small" title={t("inspection.cases.sanctions")} style={{ marginBottom: 16 }}>
            <Table<Sanction>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={sanctions.data?.items ?? []}
              locale={{ emptyText: t("inspection.cases.none") }}
              columns={[
                { title: t("inspection.cases.sanctionNumber"), dataIndex: "number" },
                {
                  title: t("inspection.cases.decidedOn"),
                  dataIndex: "decided_on",
                  render: (v: string) => formatDate(v),
                },
                {
                  title: t("inspection.cases.fine"),
                  dataIndex: "fine_vnd",
                  align: "right",
                  render: (v: number) => <Money value={v} />,
                },
                { title: t("inspection.cases.remedy"), dataIndex: "remedy" },
              ]}
            />
            {decider &&
            (c.allowed_actions as string[]).includes("sanction") &&
            violations.data?.items.length ? (
              <SanctionForm
                c={c}
                etag={etag}
                violations={violations.data.items.filter(
                  (v) => !(sanctions.data?.items ?? []).some((x) => x.case_violation_id === v.id),
                )}
                types={types.data?.items ?? []}
              />
            ) : null}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("inspection.cases.photos")} data-testid="case-photos">
        <Space wrap>
          {(photos.data?.items ?? []).map((p) => (
            <Photo key={p.id} caseId={c.id} evidence={p} />
          ))}
          {photos.data && photos.data.items.length === 0 ? t("inspection.cases.none") : null}
        </Space>
        {open ? <PhotoUpload caseId={c.id} /> : null}
      </Card>
      <ActionModal act={act} c={c} etag={etag} onClose={() => setAct(null)} />
    </>
  );
}
