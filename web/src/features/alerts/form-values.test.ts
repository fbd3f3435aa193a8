// The rule form's conversion and validation (no DOM needed): what the form sends is what AlertRuleInput accepts, and
// each problem is keyed to the field that shows it.
import { AlertRuleInput, type AlertRule } from '@foodlens/contracts';
import { describe, expect, it } from 'vitest';
import { checkDuration, durationWords } from './duration';
import { emptyValues, newTarget, serverFieldErrors, toBody, validate, valuesFromRule, type RuleFormValues } from './form-values';

const valid = (patch: Partial<RuleFormValues> = {}): RuleFormValues => ({ ...emptyValues(), name: 'Errors', threshold: '0.5', ...patch });

describe('rule form values', () => {
  it('turns a filled form into a body the contract accepts', () => {
    const target = { ...newTarget(), url: ' http://127.0.0.1:9/hook ', headers: [{ key: 1, name: 'Authorization', value: 'Bearer x' }, { key: 2, name: '', value: '' }] };
    const v = validate(valid({ min_requests: '3', targets: [target], model: 'food-detector', version: '2', window: ' 10m ' }));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.body).toMatchObject({
      name: 'Errors', signal: 'error_rate', threshold: 0.5, min_requests: 3, window: '10m', model: 'food-detector', version: '2', feature: null,
      targets: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook', format: 'json', headers: { Authorization: 'Bearer x' } }],
    });
    expect(AlertRuleInput.safeParse(v.body).success).toBe(true);
  });

  it('keys each problem to its field, with the wording of a form', () => {
    const target = { ...newTarget(), url: 'ftp://x', headers: [{ key: 1, name: 'bad name', value: 'v' }] };
    const v = validate({ ...emptyValues(), threshold: '', window: '5x', min_requests: '1.5', signal: 'feature_drift', version: '1', targets: [target] });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors).toMatchObject({
      name: 'required',
      threshold: 'a number is required',
      window: 'a duration like 90s, 5m, 2h or 1d, from 60s to 30d',
      min_requests: 'a whole number is required',
      feature: 'choose the feature to watch',
      version: 'a version needs its model',
      'targets.0.url': 'an http(s) URL',
      'targets.0.headers': '"bad name" is not a header name (letters, digits and -)',
    });
  });

  it('refuses a header given twice instead of keeping one silently', () => {
    const target = { ...newTarget(), url: 'http://h/', headers: [{ key: 1, name: 'X-A', value: '1' }, { key: 2, name: 'x-a', value: '2' }] };
    const v = validate(valid({ targets: [target] }));
    expect(v.ok ? null : v.errors['targets.0.headers']).toBe('the header x-a is given twice');
  });

  it('sends a feature only with feature_drift, and muted_until as epoch ms', () => {
    expect(toBody(valid({ signal: 'error_rate', feature: 'brightness' })).feature).toBeNull();
    expect(toBody(valid({ signal: 'feature_drift', feature: 'brightness' })).feature).toBe('brightness');
    expect(toBody(valid({ muted_until: '2030-01-02T03:04' })).muted_until).toBe(new Date(2030, 0, 2, 3, 4).getTime());
  });

  it('fills the form from a stored rule and back to the same body', () => {
    const stored = AlertRuleInput.parse({
      name: 'Drift', signal: 'feature_drift', feature: 'sharpness', comparator: '<', threshold: 0.01, window: '1h', for: '10m',
      model: 'food-detector', muted_until: new Date(2030, 5, 1, 12, 30).getTime(),
      targets: [{ type: 'webhook', url: 'https://h.example/x', format: 'slack', headers: { 'X-Key': 'k' } }],
    });
    const rule: AlertRule = { ...stored, id: 'r1', builtin: null, created_at: 0, updated_at: 0, state: 'ok', muted: true, instances: [] };
    const body = toBody(valuesFromRule(rule));
    expect(AlertRuleInput.parse(body)).toEqual(stored);
  });

  it('maps the server 400 message onto fields', () => {
    expect(serverFieldErrors('body.window: window: bad; body.targets.1.url: an http(s) URL; something else')).toEqual({
      window: 'window: bad',
      'targets.1.url': 'an http(s) URL',
    });
  });

  it('checks durations like the contract and reads them back in words', () => {
    expect(checkDuration('90s', { minMs: 60_000, maxMs: 86_400_000 })).toEqual({ ms: 90_000 });
    expect(checkDuration('30s', { minMs: 60_000, maxMs: 86_400_000 })).toEqual({ error: 'at least 1 minute' });
    expect(checkDuration('5', { minMs: 0, maxMs: 1 })).toHaveProperty('error');
    expect(durationWords(5_400_000)).toBe('90 minutes');
    expect(durationWords(86_400_000)).toBe('1 day');
  });
});
