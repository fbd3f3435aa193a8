// The demo's simulated history, decided up front and deterministic for a seed: when each request came, from whom,
// with which photo (the food mix and the camera's brightness change in the last days), whether it failed, was
// shadowed, and got feedback. Which version answered is not decided here: the server's own traffic split does that.
import { seededRandom } from '../../server/src/util/seeded-random.js';
import type { PhotoGroup } from './photo-set.js';

export const DAY_MS = 86_400_000;

export interface PlanOptions {
  now: number;
  /** history length: requests fall in [now - days, now - liveGapMs) */
  days: number;
  /** the last `driftDays` of the history have the new food mix and brighter photos */
  driftDays: number;
  users: number;
  /** average requests per day (weekends busier, some noise) */
  requestsPerDay: number;
  /** photo groups by index: which photo each request may pick */
  photoGroups: readonly PhotoGroup[];
  seed?: number;
  /** share of failed uploads (unsupported files) */
  errorRate?: number;
  /** share of requests without a user id */
  anonymousRate?: number;
  /** share of brightened photos before and during the drift */
  brightShare?: { before: number; during: number };
  /** share of answered requests whose user says whether the answer was right */
  feedbackRate?: number;
  /** requests stop this long before now, leaving the last minutes to live traffic */
  liveGapMs?: number;
}

export interface PlannedRequest {
  at: number;
  user: string | null;
  /** index into the photo list */
  photo: number;
  bright: boolean;
  /** an unsupported upload (the server answers 415) */
  failed: boolean;
  feedback: boolean;
  /** multiplies the template's latency: requests vary */
  latencyFactor: number;
  /** true in the drift days */
  drifted: boolean;
}

/** How the food mix moves: mostly fruit before, carrots and other dishes during the drift. */
export const GROUP_WEIGHTS: Record<'before' | 'during', Record<PhotoGroup, number>> = {
  before: { fruit: 0.7, carrot: 0.1, other: 0.2 },
  during: { fruit: 0.3, carrot: 0.3, other: 0.4 },
};

export function planTraffic(opts: PlanOptions): PlannedRequest[] {
  const rand = seededRandom(opts.seed ?? 42);
  const errorRate = opts.errorRate ?? 0.02;
  const anonymousRate = opts.anonymousRate ?? 0.04;
  const bright = opts.brightShare ?? { before: 0.05, during: 0.7 };
  const feedbackRate = opts.feedbackRate ?? 0.12;
  const end = opts.now - (opts.liveGapMs ?? 10 * 60_000);
  const start = opts.now - opts.days * DAY_MS;
  const driftFrom = opts.now - opts.driftDays * DAY_MS;
  const pickUser = zipfPicker(opts.users, rand);
  const byGroup = groupIndexes(opts.photoGroups);

  const out: PlannedRequest[] = [];
  // whole UTC days, so the lunch and dinner peaks fall at those hours; the first and last are cut to [start, end)
  for (let dayStart = Math.floor(start / DAY_MS) * DAY_MS; dayStart < end; dayStart += DAY_MS) {
    const weekday = new Date(dayStart + DAY_MS / 2).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 1.3 : 1;
    const n = Math.round(opts.requestsPerDay * weekend * (0.85 + 0.3 * rand()));
    for (let i = 0; i < n; i++) {
      const at = Math.floor(dayStart + timeOfDay(rand) * DAY_MS);
      if (at < start || at >= end) continue;
      const drifted = at >= driftFrom;
      const user = rand() < anonymousRate ? null : `demo-user-${String(pickUser()).padStart(3, '0')}`;
      const group = pickGroup(GROUP_WEIGHTS[drifted ? 'during' : 'before'], byGroup, rand);
      const photos = byGroup.get(group)!;
      out.push({
        at,
        user,
        photo: photos[Math.floor(rand() * photos.length)]!,
        bright: rand() < (drifted ? bright.during : bright.before),
        failed: rand() < errorRate,
        feedback: rand() < feedbackRate,
        latencyFactor: Math.exp(gaussian(rand) * 0.15),
        drifted,
      });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Fraction of a UTC day: lunch and dinner peaks over a daytime background. */
function timeOfDay(rand: () => number): number {
  const r = rand();
  const hours = r < 0.3 ? 12.5 + gaussian(rand) : r < 0.7 ? 19.5 + 1.5 * gaussian(rand) : 7 + 16 * rand();
  return Math.min(Math.max(hours, 0), 23.999) / 24;
}

function groupIndexes(groups: readonly PhotoGroup[]): Map<PhotoGroup, number[]> {
  const m = new Map<PhotoGroup, number[]>();
  groups.forEach((g, i) => m.set(g, [...(m.get(g) ?? []), i]));
  return m;
}

/** A group by weight, among the groups that have photos. */
function pickGroup(weights: Record<PhotoGroup, number>, byGroup: Map<PhotoGroup, number[]>, rand: () => number): PhotoGroup {
  const present = (Object.keys(weights) as PhotoGroup[]).filter((g) => byGroup.has(g));
  if (present.length === 0) throw new Error('the demo needs at least one photo');
  const total = present.reduce((s, g) => s + weights[g], 0);
  let r = rand() * total;
  for (const g of present) {
    r -= weights[g];
    if (r < 0) return g;
  }
  return present[present.length - 1]!;
}

/** Users 1..n, a few heavy and many occasional ones (Zipf, s = 0.8). */
function zipfPicker(n: number, rand: () => number): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k++) cumulative.push((sum += 1 / k ** 0.8));
  return () => {
    const r = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
