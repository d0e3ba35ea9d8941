/** The communes on a Leaflet map with their support-case counts (lazily loaded with Leaflet). No
 * coordinates or shapes of communes exist in the services' data, so the shapes come from a GeoJSON the
 * deployment configures (`VITE_MAP_COMMUNES_URL`, features carrying the commune `code`) and the base
 * tiles likewise (`VITE_MAP_TILE_URL`); without them the map says so and the table carries the counts. */
import "leaflet/dist/leaflet.css";
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Row, Skeleton, Table } from "antd";
import type { Feature, FeatureCollection } from "geojson";
import type { Layer, PathOptions } from "leaflet";
import { useTranslation } from "react-i18next";
import { GeoJSON, MapContainer, TileLayer } from "react-leaflet";
import { useApi, useServices } from "@/app/services";
import { ProblemAlert } from "@/components/ProblemAlert";
import { formatNumber } from "@/lib/format";
import { countsByArea, supportCaseCountsQuery } from "./queries";
import type { BoundariesValue } from "./search";

/** A feature's commune code, whatever the GeoJSON calls it. */
export function featureCode(feature: Feature | undefined): string | null {
  const props = (feature?.properties ?? {}) as Record<string, unknown>;
  const code = props.code ?? props.ma_xa ?? props.commune_code;
  return typeof code === "string" || typeof code === "number" ? String(code) : null;
}

/** Five shades of blue by the share of the largest count. */
export function shade(count: number, max: number): string {
  if (count <= 0 || max <= 0) return "#f0f0f0";
  const steps = ["#bae0ff", "#91caff", "#69b1ff", "#1677ff", "#003eb3"];
  return steps[Math.min(steps.length - 1, Math.floor((count / max) * (steps.length - 0.01)))] ?? "#1677ff";
}

export default function CommuneMap({ boundaries }: { boundaries: BoundariesValue }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { config } = useServices();
  const counts = useQuery(supportCaseCountsQuery(api, "status", boundaries, "commune"));
  const shapes = useQuery({
    queryKey: ["map", "communes", config.map.communesUrl],
    enabled: config.map.communesUrl !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const response = await fetch(config.map.communesUrl ?? "", { signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as FeatureCollection;
    },
  });
  const rows = countsByArea(counts.data?.groups ?? []);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const max = rows.reduce((m, r) => Math.max(m, r.count), 0);
  const style = (feature?: Feature): PathOptions => ({
    weight: 1,
    color: "#595959",
    fillOpacity: 0.7,
    fillColor: shade(byCode.get(featureCode(feature) ?? "")?.count ?? 0, max),
  });
  const onEach = (feature: Feature, layer: Layer) => {
    const row = byCode.get(featureCode(feature) ?? "");
    const props = (feature.properties ?? {}) as Record<string, unknown>;
    const name = row?.name || (typeof props.name === "string" ? props.name : featureCode(feature));
    layer.bindTooltip(`${name}: ${formatNumber(row?.count ?? 0, i18n.language)}`);
  };

  return (
    <Card size="small" title={t("dashboard.mapTitle")} data-testid="commune-map">
      {counts.isError ? <ProblemAlert error={counts.error} onReload={() => void counts.refetch()} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          {config.map.communesUrl === null ? (
            <Alert type="info" showIcon title={t("dashboard.noShapes")} style={{ marginBottom: 8 }} />
          ) : shapes.isError ? (
            <Alert type="warning" showIcon title={t("dashboard.shapesFailed")} style={{ marginBottom: 8 }} />
          ) : null}
          <section aria-label={t("dashboard.mapTitle")}>
            <MapContainer
              center={config.map.center}
              zoom={config.map.zoom}
              style={{ height: 340, background: "#fafafa" }}
              scrollWheelZoom={false}
            >
              {config.map.tileUrl ? (
                <TileLayer url={config.map.tileUrl} attribution={config.map.tileAttribution} />
              ) : null}
              {shapes.data && counts.data ? (
                <GeoJSON
                  key={`${boundaries}-${rows.length}`}
                  data={shapes.data}
                  style={style}
                  onEachFeature={onEach}
                />
              ) : null}
            </MapContainer>
          </section>
        </Col>
        <Col xs={24} lg={10}>
          {counts.data ? (
            <Table
              size="small"
              rowKey="code"
              dataSource={rows}
              pagination={{ pageSize: 8, showSizeChanger: false }}
              locale={{ emptyText: t("paging.empty") }}
              columns={[
                {
                  title: t("households.commune"),
                  dataIndex: "name",
                  render: (name: string, row) =>
                    name ? `${name} (${row.code})` : row.code || t("dashboard.unplaced"),
                },
                {
                  title: t("dashboard.cases"),
                  dataIndex: "count",
                  align: "right",
                  width: 110,
                  render: (value: number) => formatNumber(value, i18n.language),
                },
              ]}
            />
          ) : counts.isError ? null : (
            <Skeleton active />
          )}
        </Col>
      </Row>
    </Card>
  );
}
