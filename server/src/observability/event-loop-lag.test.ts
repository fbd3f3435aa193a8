import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventLoopLag } from './event-loop-lag.js';

function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('EventLoopLag', () => {
  it('reports nothing before it has samples', () => {
    const lag = new EventLoopLag();
    expect(lag.summary()).toEqual({ window_s: 0, mean_ms: null, p50_ms: null, p99_ms: null, max_ms: null });
  });

  it('sees a blocked loop in max, keeps it across slices, and reports an idle loop as near zero', async () => {
    const lag = new EventLoopLag({ resolutionMs: 10, sliceMs: 100, slices: 20 });
    lag.start();
    try {
      await sleep(150);
      const idle = lag.summary();
      expect(idle.p50_ms).not.toBeNull();
      // the sampling interval itself is not lag
      expect(idle.p50_ms!).toBeLessThan(5);
      block(150);
      await sleep(350); // a few slices later
      const s = lag.summary();
      expect(s.max_ms!).toBeGreaterThanOrEqual(120);
      expect(s.max_ms!).toBeLessThan(1000);
      expect(s.p50_ms!).toBeLessThan(s.max_ms!);
      expect(s.window_s).toBeGreaterThan(0.3);
    } finally {
      lag.stop();
    }
  });

  it('drops slices older than it keeps', async () => {
    const lag = new EventLoopLag({ sliceMs: 50, slices: 2 });
    lag.start();
    try {
      block(300);
      await sleep(400);
      // the blocked slice has rotated out
      expect(lag.summary().max_ms!).toBeLessThan(200);
      expect(lag.summary().window_s).toBeLessThan(0.25);
    } finally {
      lag.stop();
    }
  });
});
