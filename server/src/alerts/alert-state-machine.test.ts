import { describe, expect, it } from 'vitest';
import type { AlertComparator, NoDataPolicy } from '@foodlens/contracts';
import {
  breaches,
  initialSnapshot,
  step,
  type AlertSnapshot,
  type NotificationKind,
  type RuleTiming,
} from './alert-state-machine.js';

const T0 = 1_000_000_000;
const FOR = 60_000;
const RENOTIFY = 300_000;
const timing = (over: Partial<RuleTiming> = {}): RuleTiming => ({ forMs: FOR, renotifyMs: RENOTIFY, noData: 'ok', ...over });

// frozen, so a step that mutated its input would throw in strict-mode ESM
const snap = (s: AlertSnapshot): AlertSnapshot => Object.freeze(s);
const OK = snap({ state: 'ok', since: T0, activeSince: null, lastNotifiedAt: null });
const PENDING = snap({ state: 'pending', since: T0, activeSince: T0, lastNotifiedAt: null });
const FIRING = snap({ state: 'firing', since: T0, activeSince: T0 - FOR, lastNotifiedAt: T0 });
const RESOLVED = snap({ state: 'resolved', since: T0, activeSince: null, lastNotifiedAt: null });

// rule: value > 0.5
const HIGH = 0.9;
const LOW = 0.1;
const NOW = T0 + 10_000; // inside both `for` and renotify, so only the condition decides

interface Row {
  name: string;
  prev: AlertSnapshot;
  value: number | null;
  timing: RuleTiming;
  now: number;
  next: AlertSnapshot;
  notify: NotificationKind | null;
  changed: boolean;
}

const run = (r: Row) => {
  const before = structuredClone(r.prev);
  const t = step(r.prev, r.value, '>', 0.5, r.timing, r.now);
  expect(t).toEqual({ next: r.next, notify: r.notify, changed: r.changed });
  expect(r.prev).toEqual(before);
};

const POLICIES: NoDataPolicy[] = ['ok', 'keep', 'alerting'];
const toPending = (now: number): AlertSnapshot => ({ state: 'pending', since: now, activeSince: now, lastNotifiedAt: null });
const toOk = (now: number): AlertSnapshot => ({ state: 'ok', since: now, activeSince: null, lastNotifiedAt: null });
const toResolved = (now: number): AlertSnapshot => ({ state: 'resolved', since: now, activeSince: null, lastNotifiedAt: null });

describe('step: state x condition x no-data policy', () => {
  // a real value decides alone: the policy must not matter, so every such row runs under all three policies
  const withValue: Omit<Row, 'timing' | 'now'>[] = [
    { name: 'ok + true -> pending', prev: OK, value: HIGH, next: toPending(NOW), notify: null, changed: true },
    { name: 'ok + false -> ok', prev: OK, value: LOW, next: OK, notify: null, changed: false },
    { name: 'pending + true, for not elapsed -> pending', prev: PENDING, value: HIGH, next: PENDING, notify: null, changed: false },
    { name: 'pending + false -> ok, silently', prev: PENDING, value: LOW, next: toOk(NOW), notify: null, changed: true },
    { name: 'firing + true, renotify not due -> firing', prev: FIRING, value: HIGH, next: FIRING, notify: null, changed: false },
    { name: 'firing + false -> resolved', prev: FIRING, value: LOW, next: toResolved(NOW), notify: 'resolved', changed: true },
    { name: 'resolved + true -> pending', prev: RESOLVED, value: HIGH, next: toPending(NOW), notify: null, changed: true },
    { name: 'resolved + false -> resolved', prev: RESOLVED, value: LOW, next: RESOLVED, notify: null, changed: false },
  ];
  const noData: Row[] = [
    { name: 'ok + no data (ok) -> ok', prev: OK, value: null, timing: timing({ noData: 'ok' }), now: NOW, next: OK, notify: null, changed: false },
    { name: 'ok + no data (keep) -> ok', prev: OK, value: null, timing: timing({ noData: 'keep' }), now: NOW, next: OK, notify: null, changed: false },
    { name: 'ok + no data (alerting) -> pending', prev: OK, value: null, timing: timing({ noData: 'alerting' }), now: NOW, next: toPending(NOW), notify: null, changed: true },
    { name: 'pending + no data (ok) -> ok', prev: PENDING, value: null, timing: timing({ noData: 'ok' }), now: NOW, next: toOk(NOW), notify: null, changed: true },
    { name: 'pending + no data (keep) -> pending', prev: PENDING, value: null, timing: timing({ noData: 'keep' }), now: NOW, next: PENDING, notify: null, changed: false },
    { name: 'pending + no data (alerting) -> pending', prev: PENDING, value: null, timing: timing({ noData: 'alerting' }), now: NOW, next: PENDING, notify: null, changed: false },
    { name: 'firing + no data (ok) -> resolved', prev: FIRING, value: null, timing: timing({ noData: 'ok' }), now: NOW, next: toResolved(NOW), notify: 'resolved', changed: true },
    { name: 'firing + no data (keep) -> firing', prev: FIRING, value: null, timing: timing({ noData: 'keep' }), now: NOW, next: FIRING, notify: null, changed: false },
    { name: 'firing + no data (alerting) -> firing', prev: FIRING, value: null, timing: timing({ noData: 'alerting' }), now: NOW, next: FIRING, notify: null, changed: false },
    { name: 'resolved + no data (ok) -> resolved', prev: RESOLVED, value: null, timing: timing({ noData: 'ok' }), now: NOW, next: RESOLVED, notify: null, changed: false },
    { name: 'resolved + no data (keep) -> resolved', prev: RESOLVED, value: null, timing: timing({ noData: 'keep' }), now: NOW, next: RESOLVED, notify: null, changed: false },
    { name: 'resolved + no data (alerting) -> pending', prev: RESOLVED, value: null, timing: timing({ noData: 'alerting' }), now: NOW, next: toPending(NOW), notify: null, changed: true },
  ];
  const rows: Row[] = [
    ...withValue.flatMap((r) =>
      POLICIES.map((noData) => ({ ...r, name: `${r.name} [noData ${noData}]`, timing: timing({ noData }), now: NOW })),
    ),
    ...noData,
  ];
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_, r) => run(r));
});

describe('step: timing boundaries, clock skew and NaN', () => {
  const rows: Row[] = [
    // for
    { name: 'pending, exactly forMs elapsed -> firing', prev: PENDING, value: HIGH, timing: timing(), now: T0 + FOR, next: { state: 'firing', since: T0 + FOR, activeSince: T0, lastNotifiedAt: T0 + FOR }, notify: 'firing', changed: true },
    { name: 'pending, forMs - 1 elapsed -> pending', prev: PENDING, value: HIGH, timing: timing(), now: T0 + FOR - 1, next: PENDING, notify: null, changed: false },
    { name: 'ok + true, forMs 0 -> firing at once', prev: OK, value: HIGH, timing: timing({ forMs: 0 }), now: NOW, next: { state: 'firing', since: NOW, activeSince: NOW, lastNotifiedAt: NOW }, notify: 'firing', changed: true },
    { name: 'resolved + true, forMs 0 -> firing at once', prev: RESOLVED, value: HIGH, timing: timing({ forMs: 0 }), now: NOW, next: { state: 'firing', since: NOW, activeSince: NOW, lastNotifiedAt: NOW }, notify: 'firing', changed: true },
    { name: 'ok + no data (alerting), forMs 0 -> firing at once', prev: OK, value: null, timing: timing({ forMs: 0, noData: 'alerting' }), now: NOW, next: { state: 'firing', since: NOW, activeSince: NOW, lastNotifiedAt: NOW }, notify: 'firing', changed: true },
    { name: 'pending + no data (alerting), forMs elapsed -> firing', prev: PENDING, value: null, timing: timing({ noData: 'alerting' }), now: T0 + FOR, next: { state: 'firing', since: T0 + FOR, activeSince: T0, lastNotifiedAt: T0 + FOR }, notify: 'firing', changed: true },
    { name: 'pending + no data (keep), long past forMs -> not promoted', prev: PENDING, value: null, timing: timing({ noData: 'keep' }), now: T0 + 10 * FOR, next: PENDING, notify: null, changed: false },
    // renotify
    { name: 'firing, exactly renotifyMs since last notice -> repeat', prev: FIRING, value: HIGH, timing: timing(), now: T0 + RENOTIFY, next: { ...FIRING, lastNotifiedAt: T0 + RENOTIFY }, notify: 'repeat', changed: false },
    { name: 'firing, renotifyMs - 1 -> nothing', prev: FIRING, value: HIGH, timing: timing(), now: T0 + RENOTIFY - 1, next: FIRING, notify: null, changed: false },
    { name: 'firing, renotifyMs 0 -> never repeats', prev: FIRING, value: HIGH, timing: timing({ renotifyMs: 0 }), now: T0 + 1000 * RENOTIFY, next: FIRING, notify: null, changed: false },
    { name: 'firing + no data (alerting), renotify due -> repeat', prev: FIRING, value: null, timing: timing({ noData: 'alerting' }), now: T0 + RENOTIFY, next: { ...FIRING, lastNotifiedAt: T0 + RENOTIFY }, notify: 'repeat', changed: false },
    { name: 'firing + no data (keep), renotify due -> no repeat', prev: FIRING, value: null, timing: timing({ noData: 'keep' }), now: T0 + RENOTIFY, next: FIRING, notify: null, changed: false },
    { name: 'firing without lastNotifiedAt -> no repeat', prev: snap({ ...FIRING, lastNotifiedAt: null }), value: HIGH, timing: timing(), now: T0 + RENOTIFY, next: { ...FIRING, lastNotifiedAt: null }, notify: null, changed: false },
    // clock going backwards
    { name: 'pending, clock went back -> pending, not promoted', prev: PENDING, value: HIGH, timing: timing(), now: T0 - 10 * FOR, next: PENDING, notify: null, changed: false },
    { name: 'firing, clock went back -> no repeat', prev: FIRING, value: HIGH, timing: timing(), now: T0 - 10 * RENOTIFY, next: FIRING, notify: null, changed: false },
    { name: 'ok + true, clock went back -> pending from now', prev: OK, value: HIGH, timing: timing(), now: T0 - 5, next: toPending(T0 - 5), notify: null, changed: true },
    { name: 'firing + false, clock went back -> resolved', prev: FIRING, value: LOW, timing: timing(), now: T0 - 5, next: toResolved(T0 - 5), notify: 'resolved', changed: true },
    // NaN is no data, never a value
    { name: 'ok + NaN (ok) -> ok', prev: OK, value: NaN, timing: timing({ noData: 'ok' }), now: NOW, next: OK, notify: null, changed: false },
    { name: 'ok + NaN (alerting) -> pending', prev: OK, value: NaN, timing: timing({ noData: 'alerting' }), now: NOW, next: toPending(NOW), notify: null, changed: true },
    { name: 'pending + NaN (keep), past forMs -> pending', prev: PENDING, value: NaN, timing: timing({ noData: 'keep' }), now: T0 + FOR, next: PENDING, notify: null, changed: false },
    { name: 'firing + NaN (ok) -> resolved', prev: FIRING, value: NaN, timing: timing({ noData: 'ok' }), now: NOW, next: toResolved(NOW), notify: 'resolved', changed: true },
    { name: 'firing + NaN (alerting) -> firing', prev: FIRING, value: NaN, timing: timing({ noData: 'alerting' }), now: NOW, next: FIRING, notify: null, changed: false },
  ];
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_, r) => run(r));

  it('keep hands back prev itself', () => {
    expect(step(FIRING, null, '>', 0.5, timing({ noData: 'keep' }), T0 + RENOTIFY).next).toBe(FIRING);
  });

  it('a repeat restarts the renotify interval', () => {
    const t = timing();
    const first = step(FIRING, HIGH, '>', 0.5, t, T0 + RENOTIFY);
    expect(first.notify).toBe('repeat');
    expect(step(first.next, HIGH, '>', 0.5, t, T0 + 2 * RENOTIFY - 1).notify).toBeNull();
    const second = step(first.next, HIGH, '>', 0.5, t, T0 + 2 * RENOTIFY);
    expect(second).toEqual({ next: { ...FIRING, lastNotifiedAt: T0 + 2 * RENOTIFY }, notify: 'repeat', changed: false });
  });
});

describe('step: a whole episode', () => {
  it('ok -> pending -> firing -> repeat -> resolved -> pending -> ok, notifying only on firing, repeat and resolved', () => {
    const t = timing();
    const steps: [at: number, value: number | null, state: AlertSnapshot['state'], notify: NotificationKind | null][] = [
      [T0, LOW, 'ok', null],
      [T0 + 1_000, HIGH, 'pending', null],
      [T0 + 30_000, HIGH, 'pending', null],
      [T0 + 1_000 + FOR, HIGH, 'firing', 'firing'],
      [T0 + 1_000 + FOR + RENOTIFY - 1, HIGH, 'firing', null],
      [T0 + 1_000 + FOR + RENOTIFY, HIGH, 'firing', 'repeat'],
      [T0 + 2_000 + FOR + RENOTIFY, LOW, 'resolved', 'resolved'],
      [T0 + 3_000 + FOR + RENOTIFY, LOW, 'resolved', null],
      [T0 + 4_000 + FOR + RENOTIFY, HIGH, 'pending', null],
      [T0 + 5_000 + FOR + RENOTIFY, LOW, 'ok', null],
    ];
    let s = initialSnapshot(T0);
    expect(s).toEqual({ state: 'ok', since: T0, activeSince: null, lastNotifiedAt: null });
    const seen = steps.map(([at, value]) => {
      const tr = step(s, value, '>', 0.5, t, at);
      s = tr.next;
      return [s.state, tr.notify];
    });
    expect(seen).toEqual(steps.map(([, , state, notify]) => [state, notify]));
    expect(s).toEqual(toOk(T0 + 5_000 + FOR + RENOTIFY));
  });
});

describe('breaches', () => {
  const T = 0.5;
  const rows: [AlertComparator, number, boolean][] = [
    ['>', T - 0.1, false],
    ['>', T, false],
    ['>', T + 0.1, true],
    ['>=', T - 0.1, false],
    ['>=', T, true],
    ['>=', T + 0.1, true],
    ['<', T - 0.1, true],
    ['<', T, false],
    ['<', T + 0.1, false],
    ['<=', T - 0.1, true],
    ['<=', T, true],
    ['<=', T + 0.1, false],
    // NaN never breaches; Infinity is just a very large number
    ['>', NaN, false],
    ['>=', NaN, false],
    ['<', NaN, false],
    ['<=', NaN, false],
    ['>', Infinity, true],
    ['<', Infinity, false],
    ['<', -Infinity, true],
    ['>=', -Infinity, false],
  ];
  it.each(rows)(`%s ${T} with value %s -> %s`, (comparator, value, expected) => {
    expect(breaches(value, comparator, T)).toBe(expected);
  });

  it('Infinity threshold compares normally, NaN threshold never breaches', () => {
    expect(breaches(Infinity, '>=', Infinity)).toBe(true);
    expect(breaches(1e308, '<', Infinity)).toBe(true);
    expect(breaches(1, '<', NaN)).toBe(false);
  });
});
