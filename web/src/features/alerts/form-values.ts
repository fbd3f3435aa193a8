// The rule form's state (text as typed, so a half-typed number is not lost) and its conversion to the request body,
// validated with the contract's AlertRuleInput so the form refuses exactly what the server would.
import {
  ALERT_MAX_WINDOW_MS,
  ALERT_MIN_WINDOW_MS,
  AlertRuleInput,
  type AlertComparator,
  type AlertRule,
  type AlertRuleBody,
  type AlertSeverity,
  type AlertSignal,
  type DriftFeatureName,
  type MonitoringVariant,
  type NoDataPolicy,
} from '@foodlens/contracts';
import type { z } from 'zod';
import type { DurationBounds } from './duration';

export interface HeaderRow {
  /** stable React key */
  key: number;
  name: string;
  value: string;
}

export interface TargetRow {
  key: number;
  url: string;
  format: 'json' | 'slack';
  headers: HeaderRow[];
}

export interface RuleFormValues {
  name: string;
  description: string;
  signal: AlertSignal;
  feature: DriftFeatureName | '';
  model: string;
  version: string;
  variant: MonitoringVariant;
  comparator: AlertComparator;
  threshold: string;
  window: string;
  for: string;
  renotify: string;
  min_requests: string;
  confidence_threshold: string;
  no_data: NoDataPolicy;
  severity: AlertSeverity;
  enabled: boolean;
  /** a datetime-local value (local time), '' when not muted */
  muted_until: string;
  targets: TargetRow[];
}

/** Error messages by field: "threshold", "targets.0.url", "targets.0.headers", or "form" for the rest. */
export type FieldErrors = Record<string, string>;

/** What each field section of the form receives. */
export interface FieldsProps {
  values: RuleFormValues;
  set: (patch: Partial<RuleFormValues>) => void;
  errors: FieldErrors;
  /** prefix of the section's element ids */
  id: string;
}

/** The contract's bounds of each duration field (alerts.ts: window 1m–30d, for 0–7d, renotify 0–30d). */
export const DURATION_BOUNDS = {
  window: { minMs: ALERT_MIN_WINDOW_MS, maxMs: ALERT_MAX_WINDOW_MS },
  for: { minMs: 0, maxMs: 7 * 86_400_000 },
  renotify: { minMs: 0, maxMs: 30 * 86_400_000 },
} satisfies Record<string, DurationBounds>;

let nextKey = 1;
export const newKey = () => nextKey++;

export function newTarget(): TargetRow {
  return { key: newKey(), url: '', format: 'json', headers: [] };
}

export function emptyValues(): RuleFormValues {
  return {
    name: '',
    description: '',
    signal: 'error_rate',
    feature: '',
    model: '',
    version: '',
    variant: 'served',
    comparator: '>',
    threshold: '',
    window: '5m',
    for: '0s',
    renotify: '4h',
    min_requests: '0',
    confidence_threshold: '0.5',
    no_data: 'ok',
    severity: 'warning',
    enabled: true,
    muted_until: '',
    targets: [],
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms as a datetime-local value in the browser's time zone. */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function valuesFromRule(rule: AlertRule): RuleFormValues {
  return {
    name: rule.name,
    description: rule.description,
    signal: rule.signal,
    feature: rule.feature ?? '',
    model: rule.model ?? '',
    version: rule.version ?? '',
    variant: rule.variant,
    comparator: rule.comparator,
    threshold: String(rule.threshold),
    window: rule.window,
    for: rule.for,
    renotify: rule.renotify,
    min_requests: String(rule.min_requests),
    confidence_threshold: String(rule.confidence_threshold),
    no_data: rule.no_data,
    severity: rule.severity,
    enabled: rule.enabled,
    muted_until: rule.muted_until === null ? '' : toLocalInput(rule.muted_until),
    targets: rule.targets.map((t) => ({
      key: newKey(),
      url: t.url,
      format: t.format,
      headers: Object.entries(t.headers).map(([name, value]) => ({ key: newKey(), name, value })),
    })),
  };
}

/** '' is "not given": NaN, which the schema refuses as not a number (Number('') would be 0). */
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function toBody(v: RuleFormValues): AlertRuleBody {
  return {
    name: v.name,
    description: v.description,
    signal: v.signal,
    // the contract allows a feature on feature_drift only
    feature: v.signal === 'feature_drift' && v.feature !== '' ? v.feature : null,
    model: orNull(v.model),
    version: orNull(v.version),
    variant: v.variant,
    comparator: v.comparator,
    threshold: num(v.threshold),
    window: v.window.trim(),
    for: v.for.trim(),
    renotify: v.renotify.trim(),
    min_requests: num(v.min_requests),
    confidence_threshold: num(v.confidence_threshold),
    no_data: v.no_data,
    severity: v.severity,
    enabled: v.enabled,
    muted_until: v.muted_until === '' ? null : new Date(v.muted_until).getTime(),
    targets: v.targets.map((t) => ({
      type: 'webhook' as const,
      url: t.url.trim(),
      format: t.format,
      // a row left wholly empty is no header
      headers: Object.fromEntries(t.headers.filter((h) => h.name.trim() !== '' || h.value !== '').map((h) => [h.name.trim(), h.value])),
    })),
  };
}

/** The form key a path of the body belongs to: targets are per row and field, headers per row. */
export function fieldKey(path: ReadonlyArray<PropertyKey>): string {
  const [first, index, field] = path;
  if (first === 'targets' && typeof index === 'number') return `targets.${index}.${field === undefined ? 'url' : String(field)}`;
  return typeof first === 'string' ? first : 'form';
}

/** Zod's generic wording said the way a form does. */
function message(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'a number is required';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'a whole number is required';
  if (issue.code === 'too_small') return issue.origin === 'string' && issue.minimum === 1 ? 'required' : `at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return issue.origin === 'string' ? `at most ${String(issue.maximum)} characters` : `at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_key') return `"${String(issue.path.at(-1) ?? '')}" is not a header name (letters, digits and -)`;
  return issue.message;
}

export type Validation = { ok: true; body: AlertRuleBody } | { ok: false; errors: FieldErrors };

export function validate(v: RuleFormValues): Validation {
  const body = toBody(v);
  const errors: FieldErrors = {};
  // Object.fromEntries keeps the last of two equal names: say so instead of dropping one silently.
  v.targets.forEach((t, i) => {
    const names = t.headers.map((h) => h.name.trim().toLowerCase()).filter((n) => n !== '');
    const twice = names.find((n, j) => names.indexOf(n) !== j);
    if (twice) errors[`targets.${i}.headers`] = `the header ${twice} is given twice`;
  });
  if (v.muted_until !== '' && Number.isNaN(new Date(v.muted_until).getTime())) errors.muted_until = 'not a date and time';
  // The contract's cross-field rules run only once every field parses: check them now, so all show at once.
  if (v.signal === 'feature_drift' && v.feature === '') errors.feature = 'choose the feature to watch';
  if (v.version.trim() !== '' && v.model.trim() === '') errors.version = 'a version needs its model';
  const parsed = AlertRuleInput.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldKey(issue.path);
      // duration messages start with their field's name, which the form already shows as the label
      errors[key] ??= message(issue).replace(new RegExp(`^${key}: `), '');
    }
  }
  return Object.keys(errors).length === 0 ? { ok: true, body } : { ok: false, errors };
}

/**
 * The server's 400 names fields like "body.window: <message>; body.targets.0.url: <message>": each goes next to its
 * field, anything else to the form.
 */
export function serverFieldErrors(text: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const part of text.split('; ')) {
    const m = /^body\.([\w.]+): (.*)$/s.exec(part);
    if (!m) continue;
    const path = m[1]!.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    errors[fieldKey(path)] ??= m[2]!;
  }
  return errors;
}
