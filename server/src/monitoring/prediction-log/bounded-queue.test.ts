import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('is FIFO and refuses items beyond its capacity', () => {
    const q = new BoundedQueue<number>(3);
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]);
    expect(q.length).toBe(3);
    expect(q.peek(10)).toEqual([1, 2, 3]);
  });

  it('peeks without removing, and discards from the head', () => {
    const q = new BoundedQueue<number>(10);
    for (let i = 0; i < 5; i++) q.push(i);
    expect(q.peek(2)).toEqual([0, 1]);
    expect(q.length).toBe(5);
    expect(q.discard(2)).toBe(2);
    expect(q.peek(10)).toEqual([2, 3, 4]);
    expect(q.discard(10)).toBe(3);
    expect(q.length).toBe(0);
    expect(q.peek(1)).toEqual([]);
  });

  it('keeps order across wrap-around and growth', () => {
    const q = new BoundedQueue<number>(5000);
    const expected: number[] = [];
    let next = 0;
    // interleave pushes and discards so the head moves around the ring while it grows past 1024 slots
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) {
        q.push(next);
        expected.push(next++);
      }
      const n = q.discard(37);
      expected.splice(0, n);
    }
    expect(q.length).toBe(expected.length);
    expect(q.peek(q.length)).toEqual(expected);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects capacity %d', (capacity) => {
    expect(() => new BoundedQueue(capacity)).toThrow(RangeError);
  });
});
