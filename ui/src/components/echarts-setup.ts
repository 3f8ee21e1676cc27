/**
 * ECharts with only the chart kinds and components the UI uses (tree-shaken), loaded on demand
 * (a separate chunk): pages without charts — the runs table — never download or parse it.
 */
import { BarChart, LineChart, ParallelChart, ScatterChart } from "echarts/charts";
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, ScatterChart, ParallelChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, TitleComponent, ParallelComponent, VisualMapComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

export { echarts };
