// The alert state machine, Prometheus/Grafana-like: ok -> pending (condition holds, `for` not yet elapsed) -> firing
// -> resolved (stopped holding), and back to pending/firing when it holds again. Pure: the caller passes the clock
// and persists the snapshot, so evaluation can be replayed and tested without timers or a database.
import type { AlertComparator, AlertStateName, NoDataPolicy } from '@foodlens/contracts';

export interface AlertSnapshot {
  state: AlertStateName;
  /** when the current state was entered, epoch ms */
  since: number;
  /** when the condition started to hold without interruption (pending/firing), else null */
  activeSince: number | null;
  /** last notification (firing or repeat) sent for the current firing episode, else null */
  lastNotifiedAt: number | null;
}

export interface RuleTiming {
  forMs: number;
  /** 0 = never repeat */
  renotifyMs: number;
  noData: NoDataPolicy;
}

export type NotificationKind = 'firing' | 'resolved' | 'repeat';

export interface Transition {
  next: AlertSnapshot;
  notify: NotificationKind | null;
  /** state changed */
  changed: boolean;
}

/** NaN never breaches (every comparison with it is false); Infinity compares like any number. */
export function breaches(value: number, comparator: AlertComparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

export function initialSnapshot(now: number): AlertSnapshot {
  return { state: 'ok', since: now, activeSince: null, lastNotifiedAt: null };
}

/** Nothing to do: hand back prev itself, so callers can skip persisting by identity. */
const stay = (prev: AlertSnapshot): Transition => ({ next: prev, notify: null, changed: false });

const enter = (next: AlertSnapshot, notify: NotificationKind | null): Transition => ({ next, notify, changed: true });

/** Evaluates one rule for one scope at `now`; `value` null (or NaN) means the signal had no value. */
export function step(
  prev: AlertSnapshot,
  value: number | null,
  comparator: AlertComparator,
  threshold: number,
  timing: RuleTiming,
  now: number,
): Transition {
  // NaN comes from 0/0-style rollups (e.g. no requests): it is missing data, not a value below or above anything
  const noData = value === null || Number.isNaN(value);
  // keep: freeze everything, so a data gap neither promotes a pending alert nor repeats a firing one
  if (noData && timing.noData === 'keep') return stay(prev);
  const holds = noData ? timing.noData === 'alerting' : breaches(value, comparator, threshold);
  // a clock that went backwards (another instance, NTP step) must not count as time spent in a state
  const elapsedSince = (t: number) => Math.max(0, now - t);

  switch (prev.state) {
    case 'ok':
    case 'resolved':
      // resolved stays until the condition holds again, so the UI can show the last episode ended
      if (!holds) return stay(prev);
      return timing.forMs <= 0
        ? enter({ state: 'firing', since: now, activeSince: now, lastNotifiedAt: now }, 'firing')
        : enter({ state: 'pending', since: now, activeSince: now, lastNotifiedAt: null }, null);
    case 'pending': {
      // never fired, so nobody heard of it: back to ok silently
      if (!holds) return enter({ state: 'ok', since: now, activeSince: null, lastNotifiedAt: null }, null);
      const activeSince = prev.activeSince ?? prev.since;
      if (elapsedSince(activeSince) < timing.forMs) return stay(prev);
      return enter({ state: 'firing', since: now, activeSince, lastNotifiedAt: now }, 'firing');
    }
    case 'firing': {
      if (!holds) return enter({ state: 'resolved', since: now, activeSince: null, lastNotifiedAt: null }, 'resolved');
      // renotifyMs 0 turns repeats off; the state stays firing, so a repeat is not a change
      const due = prev.lastNotifiedAt !== null && elapsedSince(prev.lastNotifiedAt) >= timing.renotifyMs;
      if (!(timing.renotifyMs > 0 && due)) return stay(prev);
      return { next: { ...prev, lastNotifiedAt: now }, notify: 'repeat', changed: false };
    }
  }
}
