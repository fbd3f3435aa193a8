// Keeps an instance's serving in step with the store: polls every few seconds (other instances on one PostgreSQL
// change deployments and aliases too) and syncs at once on this process's registry events for the served model.
import type { RegistryEvents } from '../registry/index.js';
import type { DeploymentService } from './deployment.service.js';

export interface DeploymentFollowerOptions {
  service: DeploymentService;
  model: string;
  intervalMs: number;
  events?: RegistryEvents;
}

export class DeploymentFollower {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: Array<() => void> = [];
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly opts: DeploymentFollowerOptions) {}

  start(): void {
    const { events, model } = this.opts;
    if (events) {
      this.unsubscribe.push(
        events.on('alias-changed', (e) => {
          if (e.name === model && e.alias === 'champion') void this.tick();
        }),
        events.on('version-deleted', (e) => {
          if (e.name === model) void this.tick();
        }),
      );
    }
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** A sync; a call during one runs one more after it, since the running one may have read the store too early. */
  tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.opts.service.sync();
      } while (this.again && this.timer);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe.splice(0).forEach((u) => u());
    await this.running;
  }
}
