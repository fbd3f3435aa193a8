// A FIFO ring buffer with a hard capacity. O(1) push and discard (no Array#shift). Reading the head does not remove
// it, so a batch whose write fails simply stays queued. Storage grows by doubling up to the capacity, so a large
// configured bound costs nothing until it is used.

export class BoundedQueue<T> {
  readonly capacity: number;
  #buf: (T | undefined)[];
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#buf = new Array<T | undefined>(Math.min(capacity, 1024));
  }

  get length(): number {
    return this.#length;
  }

  /** false (and nothing stored) when full */
  push(item: T): boolean {
    if (this.#length >= this.capacity) return false;
    if (this.#length === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#length) % this.#buf.length] = item;
    this.#length++;
    return true;
  }

  /** A copy of the first n items (fewer if the queue is shorter), oldest first. */
  peek(n: number): T[] {
    const count = Math.max(0, Math.min(n, this.#length));
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) out[i] = this.#buf[(this.#head + i) % this.#buf.length] as T;
    return out;
  }

  /** Removes the first n items; returns how many were removed. */
  discard(n: number): number {
    const count = Math.max(0, Math.min(n, this.#length));
    for (let i = 0; i < count; i++) this.#buf[(this.#head + i) % this.#buf.length] = undefined; // let them be collected
    this.#head = (this.#head + count) % this.#buf.length;
    this.#length -= count;
    return count;
  }

  #grow(): void {
    const next = new Array<T | undefined>(Math.min(this.capacity, this.#buf.length * 2));
    for (let i = 0; i < this.#length; i++) next[i] = this.#buf[(this.#head + i) % this.#buf.length];
    this.#buf = next;
    this.#head = 0;
  }
}
