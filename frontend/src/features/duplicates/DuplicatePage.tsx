/** One candidate pair side by side, the differing fields marked; merge (keeping one person) or keep
 * them apart, with a reason. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { Alert, App, Button, Card, Form, Input, Radio, Skeleton, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toProblem } from "@/api/problem";
import { useApi } from "@/app/services";
import { REASON_MAX, REASON_MIN, reasonValid } from "@/components/KeysetList";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { formatDate, formatDateTime } from "@/lib/format";
import { candidateQuery, decide, duplicatesKey, type PersonSide, SIDE_FIELDS } from "./queries";
import { duplicatesScreen } from "./screen";

const route = getRouteApi("/duplicates/$candidateId");

export function DuplicatePage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { candidateId } = route.useParams();
  const query = useQuery(candidateQuery(api, candidateId));
  const canWrite = useCanWrite(duplicatesScreen);
  const [decision, setDecision] = useState<"merge" | "keep_separate">("keep_separate");
  const [kept, setKept] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState<"reason" | "kept" | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: (etag: string) =>
      decide(api, candidateId, etag, {
        decision,
        kept_person_id: decision === "merge" ? kept : null,
        reason: reason.trim(),
      }),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      void message.success(t("duplicates.decided"));
      await queryClient.invalidateQueries({ queryKey: duplicatesKey });
    },
    onError: (error) => setProblem(toProblem(error)),
  });
  const back = (
    <Link to="/duplicates">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={t("duplicates.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  }
  if (!query.data) return <Skeleton active />;
  const c = query.data.data;
  const etag = query.data.etag ?? `W/"${c.version}"`;
  const show = (side: PersonSide, field: (typeof SIDE_FIELDS)[number]) => {
    const value = side[field];
    if (value === null || value === undefined || value === "") return t("common.none");
    if (field === "date_of_birth") return formatDate(String(value));
    if (field === "gender")
      return t(`households.genders.${value}` as "households.genders.male", { defaultValue: String(value) });
    if (field === "relationship")
      return t(`households.relationships.${value}` as "households.relationships.head", {
        defaultValue: String(value),
      });
    if (field === "household_id")
      return (
        <Link to="/households/$householdId" params={{ householdId: String(value) }}>
          {t("reviews.openHousehold")}
        </Link>
      );
    return String(value);
  };
  const rows = SIDE_FIELDS.map((field) => ({ field, differs: c.differing.includes(field) }));
  const submit = () => {
    if (decision === "merge" && !kept) return setInvalid("kept");
    if (!reasonValid(reason)) return setInvalid("reason");
    setInvalid(null);
    mutation.mutate(etag);
  };
  const stale = problem !== null && [409, 412, 428].includes(toProblem(problem).status);
  return (
    <>
      <PageHeader
        title={t("duplicates.detailTitle")}
        subtitle={t("duplicates.similarityLine", { pct: c.name_similarity_pct })}
        extra={back}
      />
      <ProblemAlert
        error={problem}
        onReload={
          stale
            ? () => {
                setProblem(null);
                void query.refetch();
              }
            : undefined
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          data-testid="duplicate-pair"
          rowClassName={(r) => (r.differs ? "duplicate-differs" : "")}
          columns={[
            {
              title: t("duplicates.field"),
              dataIndex: "field",
              width: 200,
              render: (f: string, r) => (
                <Space>
                  {t(`duplicates.fields.${f}` as "duplicates.fields.full_name")}
                  {r.differs ? <Tag color="orange">{t("duplicates.differs")}</Tag> : null}
                </Space>
              ),
            },
            { title: t("duplicates.personA"), key: "a", render: (_, r) => show(c.person_a, r.field) },
            { title: t("duplicates.personB"), key: "b", render: (_, r) => show(c.person_b, r.field) },
          ]}
        />
      </Card>
      {c.status !== "pending" ? (
        <Alert
          type="info"
          showIcon
          data-testid="duplicate-decided"
          title={t(`duplicates.statuses.${c.status}`)}
          description={`${c.reason ?? ""} — ${c.decided_by ?? ""} ${formatDateTime(c.decided_at)}`}
        />
      ) : canWrite ? (
        <Card size="small" title={t("duplicates.decide")}>
          <Form layout="vertical" onFinish={submit}>
            <Form.Item label={t("duplicates.decision")}>
              <Radio.Group
                value={decision}
                onChange={(e) => setDecision(e.target.value)}
                aria-label={t("duplicates.decision")}
              >
                <Radio value="keep_separate">{t("duplicates.keepSeparate")}</Radio>
                <Radio value="merge">{t("duplicates.merge")}</Radio>
              </Radio.Group>
            </Form.Item>
            {decision === "merge" ? (
              <Form.Item
                label={t("duplicates.keep")}
                required
                validateStatus={invalid === "kept" ? "error" : undefined}
                help={invalid === "kept" ? t("duplicates.keepRequired") : undefined}
              >
                <Radio.Group
                  value={kept}
                  onChange={(e) => setKept(e.target.value)}
                  aria-label={t("duplicates.keep")}
                >
                  <Radio value={c.person_a.id}>{t("duplicates.keepA", { name: c.person_a.full_name })}</Radio>
                  <Radio value={c.person_b.id}>{t("duplicates.keepB", { name: c.person_b.full_name })}</Radio>
                </Radio.Group>
              </Form.Item>
            ) : null}
            <Form.Item
              label={t("duplicates.reason")}
              required
              htmlFor="duplicate-reason"
              validateStatus={invalid === "reason" ? "error" : undefined}
              help={
                invalid === "reason"
                  ? t("supportCases.reasonInvalid", { min: REASON_MIN, max: REASON_MAX })
                  : undefined
              }
            >
              <Input.TextArea
                id="duplicate-reason"
                rows={3}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={REASON_MAX}
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              loading={mutation.isPending}
              danger={decision === "merge"}
            >
              {t("duplicates.save")}
            </Button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
