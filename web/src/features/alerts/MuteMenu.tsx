import type { AlertRule } from '@foodlens/contracts';
import { useId, useRef, useState } from 'react';
import { toLocalInput } from './form-values';

const HOUR = 3_600_000;
const PRESETS = [
  { label: '1 hour', ms: HOUR },
  { label: '8 hours', ms: 8 * HOUR },
  { label: '24 hours', ms: 24 * HOUR },
];

/**
 * Mute for 1h / 8h / 24h, until a chosen local date and time, or unmute: a disclosure (details/summary, so keyboard
 * and screen readers work without script) that closes once a choice is sent.
 */
export function MuteMenu(props: { rule: AlertRule; busy: boolean; onMute: (until: number | null) => void }) {
  const id = useId();
  const details = useRef<HTMLDetailsElement>(null);
  const [until, setUntil] = useState(() => toLocalInput(Date.now() + 24 * HOUR));
  const chosen = new Date(until).getTime();
  const valid = Number.isFinite(chosen) && chosen > Date.now();
  const send = (t: number | null) => {
    props.onMute(t);
    if (details.current) details.current.open = false;
  };
  return (
    <details ref={details} className="mute-menu">
      <summary>
        {props.rule.muted ? 'Muted: change' : 'Mute'}
        <span className="sr-only"> {props.rule.name}</span>
      </summary>
      <div className="mute-options" role="group" aria-label={`Mute ${props.rule.name}`}>
        {PRESETS.map((p) => (
          <button key={p.label} type="button" className="secondary" disabled={props.busy} onClick={() => send(Date.now() + p.ms)}>
            Mute for {p.label}
          </button>
        ))}
        <span className="mute-until">
          <label htmlFor={`${id}-until`}>Until</label>
          <input id={`${id}-until`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
          <button type="button" className="secondary" disabled={props.busy || !valid} onClick={() => send(chosen)}>
            Mute until then
          </button>
        </span>
        {props.rule.muted_until !== null && (
          <button type="button" className="secondary" disabled={props.busy} onClick={() => send(null)}>
            Unmute
          </button>
        )}
      </div>
    </details>
  );
}
