// Aggregates prediction records in memory into rollup deltas: one entry per (grain, bucket, model, version, variant)
// with its per-food and per-user counts and the drift feature summaries of its successful predictions, so the database
// sees one upsert per key instead of one per record.
import { addFeatures, emptyFeatureSummaries, mergeFeaturesInto, type FeatureFields, type FeatureSummaries } from '../drift-monitor/feature-summaries.js';
import { addInto, CONFIDENCE_BINS, confidenceBin, LATENCY_BINS, latencyBin } from './histogram-bins.js';
import { addHash, hashUser, mergeInto, newRegisters } from './hyperloglog.js';
import { floorTo, GRAIN_MS, type Grain } from './time-buckets.js';

/** The fields of a prediction record the rollups read (the image statistics only for the drift feature summaries). */
export interface RollupInput extends FeatureFields {
  createdAt: number;
  modelName: string | null;
  modelVersion: string | null;
  variant?: string | null;
  status: string;
  foodName: string | null;
  confidence: number | null;
  latencyMs: number;
  userId: string | null;
}

/** Key columns. Unknown model, version or variant is stored as '' (key columns cannot be NULL on PostgreSQL). */
export interface RollupKey {
  grain: Grain;
  bucketStart: number;
  modelName: string;
  modelVersion: string;
  variant: string;
}

export interface BucketDelta extends RollupKey {
  requests: number;
  errors: number;
  /** successful predictions that recognised no food */
  noFood: number;
  /** requests without a user id */
  anonymous: number;
  confidenceCount: number;
  confidenceSum: number;
  /** latency of successful predictions only (failures are mostly rejected uploads, answered in a few ms) */
  latencySum: number;
  confidenceHist: number[];
  latencyHist: number[];
  /** hour and day buckets only: minute buckets carry no user sketch */
  users: Uint8Array | null;
  /** successful predictions per food ('' when nothing was recognised) */
  foods: Map<string, number>;
  /** exact predictions per user id in this batch, merged into the bucket's top-users summary; hour and day only */
  userCounts: Map<string, number> | null;
  /** drift feature summaries of the successful predictions (drift-monitor/feature-summaries.ts); null before the first */
  features: FeatureSummaries | null;
}

export class RollupBatch {
  /** Each record is added to its finest bucket only (a minute, or an hour past minute retention); hours and days are
   * summed from those once, when the buckets are read: one bucket update per record instead of three. Indexed by
   * grain, then bucket start, then `model\0version\0variant`: number-keyed lookups, one short string per record. */
  readonly #index: Record<Grain, Map<number, Map<string, BucketDelta>>> = { m: new Map(), h: new Map(), d: new Map() };
  readonly #leaves: BucketDelta[] = [];
  readonly #minuteSince: number;
  #buckets: BucketDelta[] | null = null;

  /** Records created before `minuteSince` get no minute buckets: those would be past minute retention already. */
  constructor({ minuteSince = -Infinity }: { minuteSince?: number } = {}) {
    this.#minuteSince = minuteSince;
  }

  get size(): number {
    return this.buckets.length;
  }

  /** Every bucket of every grain. Ends adding: the leaves are summed into hours and days in place. */
  get buckets(): readonly BucketDelta[] {
    return (this.#buckets ??= this.#rollUp());
  }

  add(r: RollupInput): void {
    if (this.#buckets !== null) throw new Error('RollupBatch.add() after its buckets were read');
    const grain: Grain = r.createdAt >= this.#minuteSince ? 'm' : 'h';
    const b = this.#bucket(grain, floorTo(r.createdAt, GRAIN_MS[grain]), r.modelName ?? '', r.modelVersion ?? '', r.variant ?? '');
    b.requests++;
    if (r.status !== 'ok') b.errors++;
    else {
      if (Number.isFinite(r.latencyMs)) b.latencySum += r.latencyMs;
      b.latencyHist[latencyBin(r.latencyMs)]!++;
      if (r.foodName == null) b.noFood++;
      if (r.confidence != null && Number.isFinite(r.confidence)) {
        b.confidenceCount++;
        b.confidenceSum += r.confidence;
        b.confidenceHist[confidenceBin(r.confidence)]!++;
      }
      const food = r.foodName ?? '';
      b.foods.set(food, (b.foods.get(food) ?? 0) + 1);
      addFeatures((b.features ??= emptyFeatureSummaries()), r);
    }
    // `?? null`: a field a caller left undefined counts as unknown, as the raw row stores it.
    const userId = r.userId ?? null;
    if (userId === null) b.anonymous++;
    else {
      addHash(b.users!, hashUser(userId));
      b.userCounts!.set(userId, (b.userCounts!.get(userId) ?? 0) + 1);
    }
  }

  /** The bucket of a key, created empty; leaves carry user data whatever their grain, to be summed upwards. */
  #bucket(grain: Grain, bucketStart: number, modelName: string, modelVersion: string, variant: string): BucketDelta {
    const suffix = `${modelName}\u0000${modelVersion}\u0000${variant}`;
    let slot = this.#index[grain].get(bucketStart);
    if (slot === undefined) this.#index[grain].set(bucketStart, (slot = new Map()));
    let b = slot.get(suffix);
    if (b === undefined) {
      b = {
        grain, bucketStart, modelName, modelVersion, variant,
        requests: 0, errors: 0, noFood: 0, anonymous: 0, confidenceCount: 0, confidenceSum: 0, latencySum: 0,
        confidenceHist: new Array<number>(CONFIDENCE_BINS).fill(0),
        latencyHist: new Array<number>(LATENCY_BINS).fill(0),
        users: newRegisters(),
        foods: new Map(),
        userCounts: new Map(),
        features: null,
      };
      slot.set(suffix, b);
      this.#leaves.push(b);
    }
    return b;
  }

  /** Sums minutes into hours and hours into days; minute buckets then drop their user data (not stored). */
  #rollUp(): BucketDelta[] {
    for (const [from, to] of [['m', 'h'], ['h', 'd']] as const) {
      for (const slot of this.#index[from].values()) {
        for (const b of slot.values()) {
          addDelta(this.#bucket(to, floorTo(b.bucketStart, GRAIN_MS[to]), b.modelName, b.modelVersion, b.variant), b);
          if (from === 'm') {
            b.users = null;
            b.userCounts = null;
          }
        }
      }
    }
    return this.#leaves;
  }
}

function addDelta(into: BucketDelta, from: BucketDelta): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.noFood += from.noFood;
  into.anonymous += from.anonymous;
  into.confidenceCount += from.confidenceCount;
  into.confidenceSum += from.confidenceSum;
  into.latencySum += from.latencySum;
  addInto(into.confidenceHist, from.confidenceHist);
  addInto(into.latencyHist, from.latencyHist);
  for (const [food, n] of from.foods) into.foods.set(food, (into.foods.get(food) ?? 0) + n);
  mergeInto(into.users!, from.users!);
  for (const [user, n] of from.userCounts!) into.userCounts!.set(user, (into.userCounts!.get(user) ?? 0) + n);
  if (from.features) into.features = into.features ? mergeFeaturesInto(into.features, from.features) : mergeFeaturesInto(emptyFeatureSummaries(), from.features);
}

export function bucketKeyOf(k: RollupKey): string {
  return `${k.grain}${k.bucketStart}\u0000${k.modelName}\u0000${k.modelVersion}\u0000${k.variant}`;
}
