// Metric history on uPlot (canvas): every logged point is drawn, which stays cheap for tens of thousands of steps.
// Several series (one per run) are aligned on their steps with uPlot.join.
import type { MlopsMetricPoint } from '@foodlens/contracts';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar, useTheme } from '../../app/theme';
import { labelWidth, themedAxis } from '../../lib/uplot-axes';
import { useElementWidth } from '../../lib/useElementWidth';
import { metricValue } from './format';

/** Line colours (CSS variables, light and dark) and dashes, so runs differ by more than colour. */
export const LINE_STYLES: { color: string; dash?: number[] }[] = [
  { color: '--chart-1' },
  { color: '--chart-2', dash: [8, 4] },
  { color: '--chart-3', dash: [2, 3] },
  { color: '--chart-4', dash: [10, 3, 2, 3] },
  { color: '--chart-5', dash: [4, 4] },
];

export interface ChartSeries {
  label: string;
  /** ordered by step, then timestamp, as the history endpoint answers */
  points: MlopsMetricPoint[];
}

/** Points are drawn as dots only when there are few of them. */
const DOTS_BELOW = 60;

/**
 * The x axis is the step, unless every series logged all its points at one step (mlflow.log_metric without a step):
 * then steps tell nothing apart and the axis is time since the first point.
 */
function xAxisOf(series: ChartSeries[]): 'step' | 'time' {
  const multi = series.filter((s) => s.points.length > 1);
  return multi.length > 0 && multi.every((s) => s.points.every((p) => p.step === s.points[0]!.step)) ? 'time' : 'step';
}

function alignedData(series: ChartSeries[], axis: 'step' | 'time'): uPlot.AlignedData {
  const t0 = Math.min(...series.flatMap((s) => s.points.map((p) => p.timestamp)));
  const tables = series.map((s): uPlot.AlignedData => {
    const points = axis === 'time' ? [...s.points].sort((a, b) => a.timestamp - b.timestamp) : s.points;
    return [points.map((p) => (axis === 'time' ? (p.timestamp - t0) / 1000 : p.step)), points.map((p) => p.value)];
  });
  // One series keeps every point, repeated steps included; join keeps the last value per step of each run.
  return tables.length === 1 ? tables[0]! : uPlot.join(tables);
}

export function StepChart(props: { description: string; series: ChartSeries[]; height?: number; testId?: string }) {
  const theme = useTheme();
  const [wrap, width] = useElementWidth<HTMLElement>();
  const target = useRef<HTMLDivElement>(null);
  const { series, height = 220 } = props;
  const axis = useMemo(() => xAxisOf(series), [series]);
  const data = useMemo(() => alignedData(series, axis), [series, axis]);

  useEffect(() => {
    const el = target.current;
    if (!el || width === 0) return;
    const base = themedAxis();
    const xLabel = axis === 'step' ? 'step' : 'seconds since the first point';
    const plot = new uPlot(
      {
        width,
        height,
        scales: { x: { time: false } },
        axes: [
          { ...base, label: xLabel, labelSize: 20 },
          { ...base, size: labelWidth, values: (_u, splits) => splits.map((v) => metricValue(v)) },
        ],
        series: [
          { label: xLabel, value: (_u, v) => (v === null ? '—' : String(Number(v.toPrecision(8)))) },
          ...series.map((s, i) => {
            const style = LINE_STYLES[i % LINE_STYLES.length]!;
            const color = cssVar(style.color);
            return {
              label: s.label,
              stroke: color,
              width: 2,
              dash: series.length > 1 ? style.dash : undefined,
              spanGaps: true,
              points: { show: s.points.length < DOTS_BELOW, size: 5, fill: color },
              value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : metricValue(v)),
            };
          }),
        ],
        legend: { live: true },
      },
      data,
      el,
    );
    return () => plot.destroy();
  }, [width, height, data, axis, series, theme]);

  return (
    <figure ref={wrap} className="chart step-chart" data-testid={props.testId}>
      <figcaption className="sr-only">{props.description}</figcaption>
      <div ref={target} />
    </figure>
  );
}
