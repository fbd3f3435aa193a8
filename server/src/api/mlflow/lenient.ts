// Request fields read the way MLflow's server reads them (protobuf JSON plus its handlers' leniency): int64 as a number
// or a decimal string, doubles also as "NaN" / "Infinity" / "-Infinity", enums by name or number, a scalar query key
// given several times read as its first value (Flask's args.get), unknown fields ignored (zod objects strip them).
// Failures carry MLflow's messages ("Missing value for required parameter 'x'") and become 400 INVALID_PARAMETER_VALUE
// in the error handler.
import { z } from 'zod';
import { RUN_STATUSES, VIEW_TYPES, type RunStatus, type ViewType } from '../../tracking/types.js';

const INVALID = Symbol('invalid');
type Parse<T> = (value: unknown) => T | typeof INVALID;

export const missingMessage = (name: string) => `Missing value for required parameter '${name}'`;

function invalidMessage(name: string, value: unknown, expected: string): string {
  return `Invalid value ${preview(value)} for parameter '${name}' supplied: expected ${expected}.`;
}

/** The start of a request value for a message. JSON.stringify throws on a value nested deeper than the stack. */
function preview(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 200 ? `${value.slice(0, 200)}...` : value}'`;
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[...]' : '{...}';
  }
}

/** A scalar given as a repeated query key arrives as an array; Flask's args.get takes the first. */
const first = (v: unknown): unknown => (Array.isArray(v) && v.length > 0 && typeof v[0] !== 'object' ? v[0] : v);

// Every field is z.unknown().optional().transform(...): zod 4 reports an absent key as "expected nonoptional" before
// a transform can say anything unless the schema is optional, so absence is decided inside the transform instead.
function field<T>(name: string, expected: string, parse: Parse<T>) {
  const run = (v: unknown, ctx: z.RefinementCtx): T => {
    const out = parse(first(v));
    if (out === INVALID) {
      ctx.addIssue({ code: 'custom', message: invalidMessage(name, v, expected) });
      return z.NEVER;
    }
    return out;
  };
  return {
    /** absent, null and "" are "missing" (MLflow's _assert_required) */
    required: () =>
      z.unknown().optional().transform((v, ctx): T => {
        if (v === undefined || v === null || v === '') {
          ctx.addIssue({ code: 'custom', message: missingMessage(name) });
          return z.NEVER;
        }
        return run(v, ctx);
      }),
    /** absent and null give undefined (protobuf's "not set") */
    optional: () => z.unknown().optional().transform((v, ctx): T | undefined => (v === undefined || v === null ? undefined : run(v, ctx))),
    /**
     * An unreadable value counts as "not set": what MLflow's protobuf parsing (ignore_unknown_fields) does with an
     * enum name it does not know, e.g. runs/update with status "DONE" changes nothing in 2.12.
     */
    optionalIgnoringInvalid: () =>
      z.unknown().optional().transform((v): T | undefined => {
        if (v === undefined || v === null) return undefined;
        const out = parse(first(v));
        return out === INVALID ? undefined : out;
      }),
  };
}

const parseString: Parse<string> = (v) =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : INVALID;

const parseInt64: Parse<number> = (v) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : INVALID;
};

const SPECIAL_DOUBLES: Record<string, number> = { nan: NaN, infinity: Infinity, '-infinity': -Infinity, inf: Infinity, '-inf': -Infinity };

const parseDouble: Parse<number> = (v) => {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return INVALID;
  const special = SPECIAL_DOUBLES[v.trim().toLowerCase()];
  if (special !== undefined) return special;
  const n = v.trim() === '' ? NaN : Number(v);
  return Number.isNaN(n) ? INVALID : n;
};

const parseBool: Parse<boolean> = (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : INVALID);

function parseEnum<T extends string>(names: readonly T[]): Parse<T> {
  return (v) => {
    if (typeof v === 'string') {
      const upper = v.trim().toUpperCase();
      const byName = names.find((n) => n === upper);
      if (byName) return byName;
      if (/^\d+$/.test(upper)) return names[Number(upper) - 1] ?? INVALID;
      return INVALID;
    }
    // proto enum numbers start at 1
    if (typeof v === 'number' && Number.isInteger(v)) return names[v - 1] ?? INVALID;
    return INVALID;
  };
}

export const str = (name: string) => field(name, 'a string', parseString);
export const int64 = (name: string) => field(name, 'an integer (int64)', parseInt64);
export const double = (name: string) => field(name, 'a number, "NaN", "Infinity" or "-Infinity"', parseDouble);
export const bool = (name: string) => field(name, 'true or false', parseBool);
export const runStatus = (name: string) => field<RunStatus>(name, `one of ${RUN_STATUSES.join(', ')}`, parseEnum(RUN_STATUSES));
export const viewType = (name: string) => field<ViewType>(name, `one of ${VIEW_TYPES.join(', ')}`, parseEnum(VIEW_TYPES));

/** A list of strings: a JSON array, a repeated query key, or one value. Absent gives []. */
export function stringList(name: string) {
  return z.unknown().optional().transform((v, ctx): string[] => {
    if (v === undefined || v === null) return [];
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const item of items) {
      const s = parseString(item);
      if (s === INVALID) {
        ctx.addIssue({ code: 'custom', message: invalidMessage(name, v, 'a list of strings') });
        return z.NEVER;
      }
      out.push(s);
    }
    return out;
  });
}

/** A list of objects read with `item`; absent or null gives []. */
export function objectList<T extends z.ZodType>(name: string, item: T) {
  return z.unknown().optional().transform((v, ctx): z.output<T>[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: invalidMessage(name, v, 'a list') });
      return z.NEVER;
    }
    const out: z.output<T>[] = [];
    for (let i = 0; i < v.length; i++) {
      const parsed = item.safeParse(v[i]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
        ctx.addIssue({ code: 'custom', message: `${name}[${i}]${where}: ${issue.message}` });
        return z.NEVER;
      }
      out.push(parsed.data);
    }
    return out;
  });
}

export interface MetricInput {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/**
 * log-batch's metrics: up to 1000 objects per request, so read by hand rather than by a zod object per item (which
 * measured ~2 µs a metric, a third of the whole request). Same rules and messages as the scalar fields above.
 */
export function metricList(name: string) {
  return z.unknown().optional().transform((v, ctx): MetricInput[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return failWith(ctx, invalidMessage(name, v, 'a list'));
    const out: MetricInput[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const m = v[i] as Record<string, unknown> | null;
      if (typeof m !== 'object' || m === null || Array.isArray(m)) return failWith(ctx, `${name}[${i}]: expected an object`);
      // the common, well-typed case inline; anything else through the lenient readers
      const key = typeof m.key === 'string' && m.key !== '' ? m.key : readItemField(ctx, name, i, m, 'key', parseString, 'a string');
      const value = typeof m.value === 'number' ? m.value : readItemField(ctx, name, i, m, 'value', parseDouble, 'a number');
      const timestamp = Number.isSafeInteger(m.timestamp)
        ? (m.timestamp as number)
        : readItemField(ctx, name, i, m, 'timestamp', parseInt64, 'an integer (int64)');
      const step = Number.isSafeInteger(m.step)
        ? (m.step as number)
        : m.step === undefined || m.step === null || m.step === ''
          ? 0
          : readItemField(ctx, name, i, m, 'step', parseInt64, 'an integer (int64)');
      if (key === FAILED || value === FAILED || timestamp === FAILED || step === FAILED) return z.NEVER;
      out[i] = { key, value, timestamp, step };
    }
    return out;
  });
}

const FAILED = Symbol('failed');

function failWith(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
}

/** A required field of list item `i`; FAILED (with the issue added) when missing or unreadable. */
function readItemField<T>(
  ctx: z.RefinementCtx,
  list: string,
  i: number,
  item: Record<string, unknown>,
  field: string,
  parse: Parse<T>,
  expected: string,
): T | typeof FAILED {
  const raw = item[field];
  if (raw === undefined || raw === null || raw === '') {
    ctx.addIssue({ code: 'custom', message: `${list}[${i}]: ${missingMessage(field)}` });
    return FAILED;
  }
  const parsed = parse(raw);
  if (parsed !== INVALID) return parsed;
  ctx.addIssue({ code: 'custom', message: `${list}[${i}]: ${invalidMessage(field, raw, expected)}` });
  return FAILED;
}

/** Objects inside lists: anything not an object is refused with the list's name in the message. */
export function entry<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape, { error: () => 'expected an object' });
}

/** {key, value} tags and params; a missing value is "" as protobuf's default, a missing key is refused. */
export const keyValue = entry({ key: str('key').required(), value: str('value').optional().transform((v) => v ?? '') });

/** run_id, or its old name run_uuid; the client sends both. */
export function runIdOf(body: { run_id?: string | undefined; run_uuid?: string | undefined }): string | undefined {
  return body.run_id || body.run_uuid || undefined;
}
