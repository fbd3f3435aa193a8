import type { ModelVersionEntry } from '@foodlens/contracts';
import { Link } from 'react-router';
import { DASH, dateTime, ms } from '../../lib/format';
import type { MlflowModelVersion } from './api';
import { fileSize } from './format';
import { StageControl } from './StageControl';

/** MLflow's version statuses: READY, PENDING_REGISTRATION, FAILED_REGISTRATION. */
const STATUS_BADGE: Record<string, string> = { READY: 'ok', FAILED_REGISTRATION: 'bad' };

export function VersionRow(props: {
  version: MlflowModelVersion;
  entry: ModelVersionEntry | undefined;
  champion: string | null;
  busy: boolean;
  onStage: (stage: string, archiveExisting: boolean) => void;
  onRemoveAlias: (alias: string) => void;
  onPromote: () => void;
}) {
  const v = props.version;
  // the serving view of this version; undefined while it loads (or when it failed: the panel says so)
  const e = props.entry;
  const isChampion = props.champion === v.version;
  const servable = e?.flavor != null && v.status === 'READY';
  return (
    <tr className={isChampion ? 'selected' : undefined} data-version={v.version}>
      <th scope="row">
        v{v.version}
        {v.description && <div className="muted small cell-wrap">{v.description}</div>}
      </th>
      <td>
        {!e ? (
          <span className="muted">{DASH}</span>
        ) : e.serving.roles.length > 0 ? (
          <span className="chips">
            {e.serving.roles.map((r) => (
              <span key={r} className={`chip${r === 'champion' ? ' champion' : ''}`}>
                {r}
              </span>
            ))}
          </span>
        ) : (
          <span className="muted">not serving</span>
        )}
        {e?.serving.loaded && (
          <div className="muted small">
            loaded{e.serving.load_ms !== null ? ` in ${ms(e.serving.load_ms)}` : ''}
            {e.serving.memory_bytes !== null ? ` · ${fileSize(e.serving.memory_bytes)}` : ''}
          </div>
        )}
      </td>
      <td>
        {isChampion ? (
          <span className="muted">champion</span>
        ) : !e ? (
          <span className="muted">{DASH}</span>
        ) : servable ? (
          <button type="button" className="small-button" onClick={props.onPromote} aria-label={`Promote v${v.version} to champion`}>
            Promote
          </button>
        ) : (
          <span className="muted">not servable</span>
        )}
      </td>
      <td>
        <StageControl version={v.version} stage={v.current_stage} busy={props.busy} onStage={props.onStage} />
      </td>
      <td>
        <span className="chips">
          {v.aliases.length === 0 && <span className="muted">none</span>}
          {v.aliases.map((a) =>
            // the champion alias belongs to the deployment: Promote moves it
            a === 'champion' ? (
              <span key={a} className="chip champion" title="set by the deployment">
                champion
              </span>
            ) : (
              <span key={a} className="chip">
                {a}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove alias ${a} from v${v.version}`}
                  disabled={props.busy}
                  onClick={() => props.onRemoveAlias(a)}
                >
                  ×
                </button>
              </span>
            ),
          )}
        </span>
      </td>
      <td>
        {!e ? (
          <span className="muted">{DASH}</span>
        ) : e.flavor ? (
          <>
            {e.flavor}
            <div className="muted small">
              {[e.task, e.labels !== null ? `${e.labels} labels` : null, fileSize(e.size_bytes)].filter(Boolean).join(' · ')}
            </div>
          </>
        ) : (
          <span className="muted">not servable</span>
        )}
      </td>
      <td className="cell-source">
        {v.source ? <code title={v.source}>{v.source}</code> : <span className="muted">no source</span>}
        <div className="small">
          {v.run_id ? (
            <Link to={`/experiments/runs/${encodeURIComponent(v.run_id)}`} title={v.run_id} aria-label={`run ${v.run_id}`}>
              run {v.run_id.slice(0, 8)}
            </Link>
          ) : (
            <span className="muted">no run</span>
          )}
        </div>
      </td>
      <td>
        {dateTime(v.creation_timestamp)}
        <div>
          <span className={`badge ${STATUS_BADGE[v.status] ?? 'warning'}`}>{v.status}</span>
        </div>
        {v.status_message && <div className="muted small cell-wrap">{v.status_message}</div>}
      </td>
    </tr>
  );
}
