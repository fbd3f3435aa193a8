// A dense time series on uPlot (canvas): hundreds of points stay cheap where an SVG chart would not.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar, useTheme } from '../../app/theme';
import { labelWidth, themedAxis } from '../../lib/uplot-axes';
import { useElementWidth } from '../../lib/useElementWidth';

export interface Line {
  label: string;
  values: (number | null)[];
  /** a CSS variable holding the colour, e.g. --chart-1 */
  color: string;
  dash?: number[];
}

/** Keep one object per answer (useMemo): the chart is rebuilt whenever its identity changes. */
export interface SeriesData {
  /** bucket starts, epoch ms */
  times: number[];
  lines: Line[];
}

export function TimeSeriesChart(props: {
  /** what the chart shows, for screen readers */
  description: string;
  data: SeriesData;
  /** a stable function (module level), like `data` */
  format: (v: number) => string;
  /** fills between two of the lines (indices into `lines`), e.g. a confidence band */
  band?: readonly [upper: number, lower: number];
  /** fixes the y range, e.g. [0, 1] for rates */
  range?: readonly [number, number];
  height?: number;
}) {
  const theme = useTheme();
  const [wrap, width] = useElementWidth<HTMLElement>();
  const target = useRef<HTMLDivElement>(null);
  const { data, format, band, range, height = 200 } = props;

  useEffect(() => {
    const el = target.current;
    if (!el || width === 0) return;
    const { times, lines } = data;
    const axis = themedAxis();
    // Points only when sparse: isolated values between empty buckets would otherwise not show at all.
    const sparse = (values: (number | null)[]) => values.filter((v) => v !== null).length < 60;
    const plot = new uPlot(
      {
        width,
        height,
        scales: { x: { time: true }, ...(range ? { y: { range: [range[0], range[1]] } } : {}) },
        axes: [axis, { ...axis, size: labelWidth, values: (_u, splits) => splits.map(format) }],
        series: [
          {},
          ...lines.map((l) => ({
            label: l.label,
            stroke: cssVar(l.color),
            width: 2,
            dash: l.dash,
            points: { show: sparse(l.values), size: 5, fill: cssVar(l.color) },
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
          })),
        ],
        bands: band ? [{ series: [band[0] + 1, band[1] + 1], fill: cssVar('--band') }] : undefined,
        legend: { live: true },
      },
      [times.map((t) => t / 1000), ...lines.map((l) => l.values)] as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [width, height, data, format, band, range, theme]);

  return (
    <figure ref={wrap} className="chart timeseries">
      <figcaption className="sr-only">{props.description}</figcaption>
      <div ref={target} />
    </figure>
  );
}
