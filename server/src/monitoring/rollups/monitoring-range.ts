// The time range and key filter shared by the monitoring endpoints, resolved from a validated query.
import { TIME_WINDOW_MS, type MonitoringVariant, type TimeWindow } from '@foodlens/contracts';
import type { RollupFilter } from './rollup-read.repository.js';
import { planRange, type RangePlan } from './range-plan.js';
import { DEFAULT_MINUTE_RETENTION_MS, HOUR_MS } from './time-buckets.js';

export interface MonitoringScope {
  from?: number;
  to?: number;
  window?: TimeWindow;
  model?: string;
  version?: string;
  variant: MonitoringVariant;
}

export interface ResolvedScope {
  /** minute edges where minute buckets are kept, hour edges elsewhere */
  plan: RangePlan;
  /** hour edges only: for per-user data */
  hourPlan: RangePlan;
  filter: RollupFilter;
  filters: { model: string | null; version: string | null; variant: MonitoringVariant };
}

const VARIANTS: Record<MonitoringVariant, readonly string[] | undefined> = {
  served: ['champion', 'challenger', ''],
  champion: ['champion'],
  challenger: ['challenger'],
  shadow: ['shadow'],
  all: undefined,
};

export function resolveScope(q: MonitoringScope, now = Date.now(), minuteRetentionMs = DEFAULT_MINUTE_RETENTION_MS): ResolvedScope {
  const to = q.window === undefined && q.from !== undefined ? (q.to ?? now) : now;
  const from = q.window === undefined && q.from !== undefined ? q.from : now - TIME_WINDOW_MS[q.window ?? '24h'];
  // An hour of margin: minute buckets near the retention edge may already be deleted.
  const minutesSince = now - minuteRetentionMs + HOUR_MS;
  const filter: RollupFilter = { variants: VARIANTS[q.variant] };
  if (q.model !== undefined) filter.model = q.model;
  if (q.version !== undefined) filter.version = q.version;
  return {
    plan: planRange(from, to, { minutesSince }),
    hourPlan: planRange(from, to),
    filter,
    filters: { model: q.model ?? null, version: q.version ?? null, variant: q.variant },
  };
}
