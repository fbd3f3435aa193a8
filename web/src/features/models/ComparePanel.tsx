import type { ModelVersionEntry, TimeWindow } from '@foodlens/contracts';
import { useId, useState } from 'react';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ComparisonTable } from './ComparisonTable';
import { useComparison } from './queries';

const WINDOWS = ['24h', '7d', '30d'] as const satisfies readonly TimeWindow[];
/** GET /api/v1/mlops/compare takes at most 10 versions. */
const MAX_PICKED = 10;

/** Pick versions and a window; GET /api/v1/mlops/compare lines them up. */
export function ComparePanel(props: { model: string; versions: readonly string[]; entries: readonly ModelVersionEntry[] }) {
  const id = useId();
  const [picked, setPicked] = useState<string[]>([]);
  const [range, setRange] = useState<(typeof WINDOWS)[number]>('24h');
  // in version order, so the table's columns do not depend on the order of the clicks
  const versions = props.versions.filter((v) => picked.includes(v)).sort((a, b) => Number(a) - Number(b));
  const comparison = useComparison(props.model, versions, range);
  const toggle = (v: string, on: boolean) => setPicked(on ? [...picked, v] : picked.filter((x) => x !== v));
  return (
    <Panel title="Compare versions" testId="compare">
      {props.versions.length < 2 ? (
        <p className="empty">Comparing needs two versions: register another version of {props.model} first.</p>
      ) : (
        <div className="compare-controls">
          <fieldset className="version-picks">
            <legend>Versions (2 to {MAX_PICKED})</legend>
            {props.versions.map((v) => (
              <label key={v} className="check">
                <input
                  type="checkbox"
                  checked={picked.includes(v)}
                  disabled={!picked.includes(v) && picked.length >= MAX_PICKED}
                  onChange={(e) => toggle(v, e.target.checked)}
                />
                v{v}
              </label>
            ))}
          </fieldset>
          <fieldset className="segmented">
            <legend>Window</legend>
            {WINDOWS.map((w) => (
              <label key={w}>
                <input type="radio" name={`${id}-window`} value={w} checked={range === w} onChange={() => setRange(w)} />
                <span>{w}</span>
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {props.versions.length >= 2 && versions.length < 2 && <p className="muted">Pick at least two versions to compare them.</p>}
      {versions.length >= 2 && comparison.isPending && <p className="loading">Comparing…</p>}
      {versions.length >= 2 && comparison.isError && <QueryError what="The comparison" error={comparison.error} />}
      {versions.length >= 2 && comparison.data && (
        <ComparisonTable data={comparison.data} entries={props.entries} window={range} stale={comparison.isPlaceholderData} />
      )}
    </Panel>
  );
}
