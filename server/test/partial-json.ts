// A JSON reader for recorded bodies that were cut off (the MLflow transcript keeps ~400 characters of each). It reads
// as far as the text goes: containers the cut went through are marked incomplete, and the value being read when the
// text ended (a string, a number, a literal) becomes CUT, so comparisons can check what is there and skip the rest.

export const CUT = Symbol('cut');

export type PartialValue = null | boolean | number | string | typeof CUT | PartialValue[] | { [key: string]: PartialValue };

export interface PartialJson {
  value: PartialValue;
  /** objects and arrays whose closing bracket was cut off */
  incomplete: WeakSet<object>;
  /** true when the whole text was valid JSON */
  complete: boolean;
}

class Reader {
  i = 0;
  readonly incomplete = new WeakSet<object>();
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  get eof(): boolean {
    return this.i >= this.s.length;
  }

  value(): PartialValue {
    this.ws();
    if (this.eof) return CUT;
    const c = this.s[this.i]!;
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    return this.scalar();
  }

  object(): PartialValue {
    const out: { [key: string]: PartialValue } = {};
    this.i++;
    for (;;) {
      this.ws();
      if (this.eof) return this.cut(out);
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      const key = this.string();
      if (key === CUT) return this.cut(out);
      this.ws();
      if (this.eof) return this.cut(out);
      if (this.s[this.i] !== ':') throw new Error(`expected ':' at ${this.i}`);
      this.i++;
      const v = this.value();
      out[key as string] = v;
      if (v === CUT || (typeof v === 'object' && v !== null && this.incomplete.has(v))) return this.cut(out);
    }
  }

  array(): PartialValue {
    const out: PartialValue[] = [];
    this.i++;
    for (;;) {
      this.ws();
      if (this.eof) return this.cut(out);
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      const v = this.value();
      out.push(v);
      if (v === CUT || (typeof v === 'object' && v !== null && this.incomplete.has(v))) return this.cut(out);
    }
  }

  string(): string | typeof CUT {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return JSON.parse(this.s.slice(start, this.i)) as string;
      } else this.i++;
    }
    return CUT;
  }

  scalar(): PartialValue {
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`unexpected ${JSON.stringify(this.s.slice(this.i, this.i + 10))} at ${this.i}`);
    this.i += m[0].length;
    // a number running into the end of the text may have lost digits
    if (this.eof) return CUT;
    const t = m[0];
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    return Number(t);
  }

  cut<T extends object>(v: T): T {
    this.incomplete.add(v);
    return v;
  }
}

export function parsePartialJson(text: string): PartialJson {
  try {
    return { value: JSON.parse(text) as PartialValue, incomplete: new WeakSet(), complete: true };
  } catch {
    const r = new Reader(text);
    return { value: r.value(), incomplete: r.incomplete, complete: false };
  }
}
