// The conformance replay's own checks must be able to fail: partial JSON reading and shape comparison.
import { describe, expect, it } from 'vitest';
import { compareShape, IdMap, learnIds } from './mlflow-replay.js';
import { CUT, parsePartialJson } from './partial-json.js';

function problems(recordedText: string, ours: unknown, ids = new IdMap()): string[] {
  const recorded = parsePartialJson(recordedText);
  const out: string[] = [];
  learnIds(recorded.value, ours, ids, out);
  compareShape(recorded.value, ours, { ids, incomplete: recorded.incomplete, problems: out });
  return out;
}

describe('parsePartialJson', () => {
  it('reads complete JSON as JSON', () => {
    expect(parsePartialJson('{ "a": [1, "x"] }')).toMatchObject({ value: { a: [1, 'x'] }, complete: true });
  });

  it('marks what the cut went through', () => {
    const p = parsePartialJson('{ "a": { "b": 1 }, "c": [ { "k": "v" }, { "k": "w');
    const v = p.value as { a: unknown; c: Array<Record<string, unknown>> };
    expect(p.complete).toBe(false);
    expect(v.a).toEqual({ b: 1 });
    expect(p.incomplete.has(v as object)).toBe(true);
    expect(p.incomplete.has(v.a as object)).toBe(false);
    expect(p.incomplete.has(v.c)).toBe(true);
    expect(v.c[1]!.k).toBe(CUT);
  });

  it('treats a number at the cut as cut', () => {
    expect((parsePartialJson('{"t": 17957').value as { t: unknown }).t).toBe(CUT);
  });
});

describe('compareShape', () => {
  it('accepts the same shape with mapped ids and different clock values', () => {
    const ids = new IdMap();
    const recorded = '{"experiment": {"experiment_id": "1", "name": "x", "artifact_location": "mlflow-artifacts:/1", "creation_time": 5}}';
    const ours = { experiment: { experiment_id: '7', name: 'x', artifact_location: 'mlflow-artifacts:/7', creation_time: 9 } };
    expect(problems(recorded, ours, ids)).toEqual([]);
    expect(ids.experiments.get('1')).toBe('7');
  });

  it('reports a missing field, an extra field, a type change and a value change', () => {
    const recorded = '{"a": 1, "b": "x", "c": 2}';
    expect(problems(recorded, { a: '1', b: 'y', d: true })).toEqual([
      expect.stringContaining('$.a: recorded number'),
      expect.stringContaining('$.b: recorded "x", ours "y"'),
      expect.stringContaining('$.c: missing'),
      expect.stringContaining('fields MLflow does not send: d'),
    ]);
  });

  it('allows extra fields only where the recording was cut', () => {
    expect(problems('{"a": 1, "b": [1, 2', { a: 1, b: [1, 2, 3], z: 0 })).toEqual([]);
    expect(problems('{"a": 1, "b": [1, 2', { a: 1, b: [1] })).toEqual([expect.stringContaining('$.b[1]: missing')]);
  });

  it('matches tag-like lists by key, not position', () => {
    const recorded = '{"tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]}';
    expect(problems(recorded, { tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }] })).toEqual([]);
    expect(problems(recorded, { tags: [{ key: 'b', value: '2' }, { key: 'a', value: '9' }] })).toHaveLength(1);
  });
});
