import { useId } from 'react';
import { useNavigate } from 'react-router';

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 5;

/** The selected runs and the Compare button, disabled with the reason outside 2–5 selected. */
export function CompareBar(props: { selected: { id: string; name: string }[]; onClear: () => void }) {
  const navigate = useNavigate();
  const reasonId = useId();
  const n = props.selected.length;
  const reason =
    n < COMPARE_MIN
      ? `Select ${COMPARE_MIN} to ${COMPARE_MAX} runs to compare (${n} selected).`
      : n > COMPARE_MAX
        ? `Compare takes at most ${COMPARE_MAX} runs: ${n} are selected, unselect ${n - COMPARE_MAX}.`
        : null;
  return (
    <div className="compare-bar" data-testid="compare-bar">
      <button
        type="button"
        disabled={reason !== null}
        aria-describedby={reasonId}
        onClick={() => navigate(`/experiments/compare?runs=${props.selected.map((r) => encodeURIComponent(r.id)).join(',')}`)}
      >
        Compare
      </button>
      <span id={reasonId} className="muted small" aria-live="polite">
        {reason ?? `${n} runs selected: ${props.selected.map((r) => r.name).join(', ')}.`}
      </span>
      {n > 0 && (
        <button type="button" className="secondary" onClick={props.onClear}>
          Clear selection
        </button>
      )}
    </div>
  );
}
