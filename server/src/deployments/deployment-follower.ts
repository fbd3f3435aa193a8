// Keeps an instance's serving in step with the store: one timer polls every few seconds (other instances on one
// PostgreSQL deploy models and change deployments and aliases too) and this process's registry events that can change
// serving (the champion alias moved, a version, model or name gone) sync at once. A sync covers every deployed model.
import type { RegistryEvents } from '../registry/index.js';

export interface DeploymentFollowerOptions {
  /** DeploymentSet (every model) or a single DeploymentService; must never throw */
  service: { sync(): Promise<void> };
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
    const { events } = this.opts;
    if (events) {
      this.unsubscribe.push(
        events.on('alias-changed', (e) => {
          if (e.alias === 'champion') void this.tick();
        }),
        events.on('version-deleted', () => void this.tick()),
        events.on('model-deleted', () => void this.tick()),
        events.on('model-renamed', () => void this.tick()),
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
