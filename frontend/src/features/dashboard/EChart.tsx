/** One ECharts chart (tree-shaken: bar and line only), drawn as SVG so it needs no WebGL nor canvas.
 * Only the dashboard's lazily loaded chunk imports this file. */
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import langVI from "echarts/lib/i18n/langVI.js";
import { SVGRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";
import { useTranslation } from "react-i18next";

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  SVGRenderer,
]);
echarts.registerLocale("VI", langVI as Parameters<typeof echarts.registerLocale>[1]);

export default function EChart({
  option,
  label,
  height = 300,
}: {
  option: Record<string, unknown>;
  label: string;
  height?: number;
}) {
  const { i18n } = useTranslation();
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: "100%" }}
        opts={{ renderer: "svg", locale: i18n.language === "en" ? "EN" : "VI" }}
      />
    </div>
  );
}
