import "leaflet/dist/leaflet.css";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Skeleton, Steps } from "antd";
import type { GeoJsonObject } from "geojson";
import { latLngBounds } from "leaflet";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { GeoJSON, MapContainer, TileLayer } from "react-leaflet";
import { toProblem, unwrap } from "@/api/problem";
import { useApi, useServices } from "@/app/services";
import { PageHeader } from "@/components/PageHeader";
import { ProblemAlert } from "@/components/ProblemAlert";
import { useCanWrite } from "@/components/RequireScreen";
import { Money } from "@/features/finance/ui";
import { formatDate } from "@/lib/format";
import { inspectionKey, type Obligation, obligationQuery, parcelQuery, projectQuery } from "./queries";
import { obligationsScreen } from "./screen";

const route = getRouteApi("/land-reserve-obligations/$obligationId");
type Status = Obligation["status"];
const LAND: { status: Status; done: keyof Obligation; due: keyof Obligation | null }[] = [
  { status: "reserved_in_plan", done: "reserved_in_plan_on", due: null },
  { status: "infrastructure_built", done: "infrastructure_built_on", due: "infrastructure_built_due" },
  { status: "cleared", done: "cleared_on", due: "cleared_due" },
  { status: "investor_assigned", done: "investor_assigned_on", due: "investor_assigned_due" },
  { status: "started", done: "started_on", due: "started_due" },
];
const MONEY: typeof LAND = [
  { status: "awaiting_payment", done: "decided_on", due: null },
  { status: "paid", done: "paid_on", due: "payment_due" },
];

function ParcelMap({ parcelId }: { parcelId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { config } = useServices();
  const parcel = useQuery(parcelQuery(api, parcelId));
  if (parcel.isError) return <ProblemAlert error={parcel.error} />;
  if (!parcel.data) return <Skeleton active />;
  const p = parcel.data;
  const bounds = latLngBounds([p.min_lat, p.min_lon], [p.max_lat, p.max_lon]);
  return (
    <section aria-label={t("inspection.obligations.parcels")} data-testid="parcel-map">
      <MapContainer bounds={bounds} style={{ height: 320, background: "#fafafa" }} scrollWheelZoom={false}>
        {config.map.tileUrl ? (
          <TileLayer url={config.map.tileUrl} attribution={config.map.tileAttribution} />
        ) : null}
        <GeoJSON
          data={p.geometry as unknown as GeoJsonObject}
          style={{ color: "#d4380d", weight: 2, fillOpacity: 0.3 }}
        />
      </MapContainer>
      <div style={{ marginTop: 4 }}>
        {p.name ?? p.cadastral_ref ?? p.id.slice(0, 8)} — {p.area_m2} m²
      </div>
    </section>
  );
}

export function ObligationDetailPage() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { obligationId } = route.useParams();
  const canWrite = useCanWrite(obligationsScreen);
  const query = useQuery(obligationQuery(api, obligationId));
  const project = useQuery({
    ...projectQuery(api, query.data?.data.commercial_project_id ?? ""),
    enabled: Boolean(query.data),
  });
  const [next, setNext] = useState<Status | null>(null);
  const [on, setOn] = useState(new Date().toISOString().slice(0, 10));
  const [problem, setProblem] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: (status: Status) =>
      unwrap(
        api.inspection.POST("/v1/land-reserve-obligations/{obligation_id}/transitions", {
          params: {
            path: { obligation_id: obligationId },
            header: { "If-Match": query.data?.etag ?? `W/"${query.data?.data.version}"` },
          },
          body: { status, on },
        }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setNext(null);
      void message.success(t("inspection.obligations.advanced"));
      await queryClient.invalidateQueries({ queryKey: inspectionKey });
    },
    onError: (e) => {
      setNext(null);
      setProblem(toProblem(e));
    },
  });
  const back = (
    <Link to="/land-reserve-obligations">
      <Button>{t("common.back")}</Button>
    </Link>
  );
  if (query.isError)
    return (
      <>
        <PageHeader title={t("inspection.obligations.detailTitle")} extra={back} />
        <ProblemAlert error={query.error} onReload={() => void query.refetch()} />
      </>
    );
  if (!query.data) return <Skeleton active />;
  const o = query.data.data;
  const stages = o.method === "pay_money" ? MONEY : LAND;
  const current = stages.findIndex((s) => s.status === o.status);
  const following = stages[current + 1]?.status ?? null;
  return (
    <>
      <PageHeader
        title={t("inspection.obligations.detailTitle")}
        subtitle={project.data?.name}
        extra={back}
      />
      <ProblemAlert error={problem} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("inspection.obligations.project")}>
            {project.data ? `${project.data.name} — ${project.data.investor_name}` : t("common.none")}
          </Descriptions.Item>
          <Descriptions.Item label={t("inspection.obligations.method")}>
            {t(`inspection.obligations.methods.${o.method}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("inspection.obligations.decidedOn")}>
            {formatDate(o.decided_on)} {o.decision_number ?? ""}
          </Descriptions.Item>
          <Descriptions.Item label={t("inspection.obligations.residentialLand")}>
            {o.residential_land_m2}
          </Descriptions.Item>
          <Descriptions.Item label={t("inspection.obligations.requiredArea")}>
            {o.required_area_m2} ({t("inspection.obligations.rate")} {o.reserve_rate})
          </Descriptions.Item>
          {o.money_due_vnd !== null ? (
            <Descriptions.Item label={t("inspection.obligations.moneyDue")}>
              <Money value={o.money_due_vnd} />
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title={t("inspection.obligations.timeline")}
            style={{ marginBottom: 16 }}
            data-testid="obligation-timeline"
          >
            <Steps
              orientation="vertical"
              size="small"
              current={current}
              items={stages.map((s) => {
                const done = o[s.done] as string | null;
                const due = s.due ? (o[s.due] as string | null) : null;
                return {
                  title: t(`inspection.obligations.statuses.${s.status}`),
                  description: [
                    done ? formatDate(done) : null,
                    !done && due ? t("inspection.obligations.due", { date: formatDate(due) }) : null,
                  ]
                    .filter(Boolean)
                    .join(" "),
                };
              })}
            />
            {canWrite && following ? (
              <Button type="primary" onClick={() => setNext(following)}>
                {t("inspection.obligations.advance", {
                  status: t(`inspection.obligations.statuses.${following}`),
                })}
              </Button>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t("inspection.obligations.parcels")}>
            {o.reserved_parcel_id ? (
              <ParcelMap parcelId={o.reserved_parcel_id} />
            ) : (
              t("inspection.obligations.noParcel")
            )}
            {project.data?.site_parcel_id && project.data.site_parcel_id !== o.reserved_parcel_id ? (
              <div style={{ marginTop: 12 }}>
                <ParcelMap parcelId={project.data.site_parcel_id} />
              </div>
            ) : null}
          </Card>
        </Col>
      </Row>
      <Modal
        open={next !== null}
        title={
          next
            ? t("inspection.obligations.advance", { status: t(`inspection.obligations.statuses.${next}`) })
            : ""
        }
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        confirmLoading={mutation.isPending}
        onOk={() => next && mutation.mutate(next)}
        onCancel={() => setNext(null)}
        destroyOnHidden
      >
        <p>
          {next
            ? t("inspection.obligations.advanceText", {
                status: t(`inspection.obligations.statuses.${next}`),
              })
            : ""}
        </p>
        <Form layout="vertical">
          <Form.Item label={t("inspection.obligations.on")} htmlFor="stage-on" required>
            <Input id="stage-on" type="date" value={on} onChange={(e) => setOn(e.target.value)} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
