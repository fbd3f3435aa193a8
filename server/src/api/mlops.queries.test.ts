import { describe, expect, it } from 'vitest';
import { MlopsMetricHistoryQuery, MlopsMetricsQuery, MlopsRunCompareQuery, MlopsRunListQuery } from '@foodlens/contracts';

describe('mlops query schemas', () => {
  it('reads id lists repeated or comma-separated', () => {
    expect(MlopsRunListQuery.parse({ experiment_id: '1, 2,,3' }).experiment_id).toEqual(['1', '2', '3']);
    expect(MlopsRunListQuery.parse({ experiment_id: ['1', '2,3'] }).experiment_id).toEqual(['1', '2', '3']);
    expect(MlopsRunListQuery.parse({})).toMatchObject({ view_type: 'ACTIVE_ONLY', max_results: 100 });
    expect(MlopsRunCompareQuery.parse({ run_ids: 'a,b' }).run_ids).toEqual(['a', 'b']);
  });

  it.each([
    [MlopsRunListQuery, { experiment_id: '1', experiment_name: 'x' }, /not both/],
    [MlopsRunListQuery, { max_results: '0' }, /max_results|>=1/],
    [MlopsRunListQuery, { view_type: 'SOME' }, /ACTIVE_ONLY/],
    [MlopsRunCompareQuery, { run_ids: 'a' }, /2/],
    [MlopsMetricHistoryQuery, { metric_key: 'requests' }, /exactly one of run_id or model_version/],
    [MlopsMetricHistoryQuery, { metric_key: 'requests', run_id: 'r', model_version: '1' }, /exactly one/],
    [MlopsMetricHistoryQuery, { metric_key: 'requests', run_id: 'r', model_name: 'm' }, /model_name needs model_version/],
    [MlopsMetricsQuery, { from: 'yesterday' }, /epoch milliseconds or an ISO 8601/],
    [MlopsMetricsQuery, { from: '2025-02-01T00:00:00Z', to: '2025-01-01' }, /from must not be after to/],
  ] as const)('refuses %#', (schema, input, message) => {
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it('takes times as epoch ms or ISO 8601', () => {
    expect(MlopsMetricsQuery.parse({ from: '1738368000000', to: '2025-02-02T00:00:00Z' })).toMatchObject({
      from: 1_738_368_000_000,
      to: Date.UTC(2025, 1, 2),
      top_users: 10,
    });
  });
});
