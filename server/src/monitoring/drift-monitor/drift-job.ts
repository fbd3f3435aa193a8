// Checks drift on a timer for every served model version that has a reference (the last 24 h against it), so
// Prometheus and alert rules see drift without anyone opening the dashboard. Versions without a reference are
// skipped quietly; a failing check is logged and retried on the next tick.
import { DriftQuery, type DriftReport } from '@foodlens/contracts';
import type { Database } from '../../db/connection.js';
import { selectReference } from './reference.repository.js';
import { checkDrift } from './drift.service.js';

export interface DriftJobOptions {
  database: Database;
  /** ms between checks; 0 turns the job off */
  intervalMs: number;
  servedVersions: () => Array<{ name: string; version: string }>;
  onReport: (report: DriftReport) => void;
  logger: { warn(obj: object, msg: string): void };
}

export class DriftJob {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly opts: DriftJobOptions) {}

  start(): void {
    if (this.opts.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.#timer.unref();
    void this.tick();
  }

  /** One pass over the served versions; overlapping calls share the pass in progress. */
  tick(): Promise<void> {
    this.#running ??= this.#check().finally(() => (this.#running = null));
    return this.#running;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async #check(): Promise<void> {
    for (const { name, version } of this.opts.servedVersions()) {
      try {
        if (!(await selectReference(this.opts.database.db, name, version))) continue;
        this.opts.onReport(await checkDrift(this.opts.database, DriftQuery.parse({ model: name, version, window: '24h' })));
      } catch (err) {
        this.opts.logger.warn({ err, model: name, version }, 'drift check failed; retrying on the next tick');
      }
    }
  }
}
