import { errorDetail } from '../../components/QueryError';
import type { ViewType } from './api';
import { RUN_COUNT_CAP, useRunCount } from './queries';

/**
 * An experiment's run count for the list. No endpoint counts runs per experiment, so this reads one page of its runs
 * (deleted experiments: all runs, since deleting an experiment deletes its runs) and says "100+" beyond it.
 */
export function ExperimentRunCount(props: { experimentId: string; deleted: boolean }) {
  const view: ViewType = props.deleted ? 'ALL' : 'ACTIVE_ONLY';
  const q = useRunCount(props.experimentId, view);
  if (q.isPending) return <span className="muted">…</span>;
  if (q.isError) {
    return (
      <span className="error" title={errorDetail(q.error)}>
        unavailable<span className="sr-only">: {errorDetail(q.error)}</span>
      </span>
    );
  }
  return <>{q.data.more ? `${RUN_COUNT_CAP}+` : q.data.count}</>;
}
