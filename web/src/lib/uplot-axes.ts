// Axis settings shared by the uPlot charts (the dashboard's time series, the experiments' metric histories).
import type uPlot from 'uplot';
import { cssVar } from '../app/theme';

/** The y axis is as wide as its longest label (uPlot's fixed default clips "1.25 s"). */
export const labelWidth = (_u: uPlot, values: string[] | null) => 24 + 8 * Math.max(3, ...(values ?? []).map((v) => v.length));

/** Axis, grid and tick colours of the current theme: call it when the chart is built, so a theme change shows. */
export function themedAxis(): uPlot.Axis {
  const grid = cssVar('--border');
  return { stroke: cssVar('--muted'), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}
