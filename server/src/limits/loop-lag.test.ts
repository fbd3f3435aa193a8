import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopLag } from './loop-lag.js';

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is stuck here
  }
}

describe('LoopLag', () => {
  const lag = new LoopLag({ intervalMs: 20 });
  afterEach(() => lag.stop());

  it('reads how late the loop ran after a stall, and near zero again at the next tick', async () => {
    lag.start();
    await sleep(100);
    expect(lag.lagMs).toBeLessThan(150);
    block(400);
    // timers run before I/O: the late tick has been read before anything queued during the stall is handled
    await sleep(0);
    expect(lag.lagMs).toBeGreaterThan(300);
    await sleep(100);
    expect(lag.lagMs).toBeLessThan(150);
  });

  it('reads 0 when stopped', async () => {
    lag.start();
    block(100);
    await sleep(0);
    lag.stop();
    expect(lag.lagMs).toBe(0);
  });
});
