import { describe, expect, it } from 'vitest';
import { chi2Contingency, chiSquareContingencyTest, chiSquareGoodnessOfFit } from './chi-square.js';
import { summariseCategories } from './summaries.js';
import { expectClose } from '../../../test/drift-samples.js';

describe('chi2Contingency matches scipy.stats.chi2_contingency', () => {
  // r = scipy.stats.chi2_contingency(table); float(r.statistic), float(r.pvalue), r.dof  (SciPy 1.17.1)
  it.each([
    ['2×2 with Yates', [[5, 3], [2, 9]], 2.2368438852813846, 0.1347557852717817, 1],
    ['2×3 (no correction at dof 2)', [[10, 20, 30], [15, 15, 25]], 1.9551357733175911, 0.3762250088979317, 2],
    ['2×4 with a category absent from one row', [[120, 80, 5, 0], [100, 95, 3, 7]], 10.603896103896105, 0.014072421816323072, 3],
    ['2×2 where Yates would overshoot (|O − E| < 0.5)', [[1, 1], [1, 1]], 0, 1, 1],
    ['2×2 with a zero cell', [[12, 0], [3, 9]], 11.377777777777776, 0.0007432798688492071, 1],
  ])('%s', (_name, table, statistic, p, dof) => {
    const r = chi2Contingency(table);
    expectClose(r.statistic, statistic, 1e-12);
    expectClose(r.pValue, p, 1e-9);
    expect(r.dof).toBe(dof);
  });

  it('one category in both windows: dof 0, no drift', () => {
    const r = chiSquareContingencyTest(summariseCategories(['a', 'a']), summariseCategories(['a']))!;
    expect(r).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  it('a category seen only in the current window gives a finite statistic', () => {
    // The same numbers as the 2×4 row above, from category counts.
    const ref = summariseCategories([...Array(120).fill('a'), ...Array(80).fill('b'), ...Array(5).fill('c')]);
    const cur = summariseCategories([...Array(100).fill('a'), ...Array(95).fill('b'), ...Array(3).fill('c'), ...Array(7).fill('new')]);
    expectClose(chiSquareContingencyTest(ref, cur)!.statistic, 10.603896103896105, 1e-12);
  });
});

describe("chiSquareGoodnessOfFit matches Evidently's chisquare", () => {
  // keys = sorted(set(ref) | set(cur)); k = len(cur)/len(ref)
  // scipy.stats.chisquare([cur.count(x) for x in keys], [ref.count(x)*k for x in keys])
  it('with ref = list("aaaabbbccd"*3), cur = list("aabbbbcccd"*2)', () => {
    const r = chiSquareGoodnessOfFit(summariseCategories([...'aaaabbbccd'.repeat(3)]), summariseCategories([...'aabbbbcccd'.repeat(2)]))!;
    expectClose(r.statistic, 3.6666666666666665, 1e-12);
    expectClose(r.pValue, 0.29978058859571216, 1e-9);
    expect(r.dof).toBe(3);
  });

  it('an unseen category is statistic Infinity and p 0 (ref "aaaabbbcc", cur "aabbbbcccd")', () => {
    const r = chiSquareGoodnessOfFit(summariseCategories([...'aaaabbbcc']), summariseCategories([...'aabbbbcccd']))!;
    expect(r.statistic).toBe(Infinity);
    expect(r.pValue).toBe(0);
  });

  it('empty windows are null, not NaN', () => {
    expect(chiSquareGoodnessOfFit(summariseCategories([]), summariseCategories(['a']))).toBeNull();
    expect(chiSquareContingencyTest(summariseCategories(['a']), summariseCategories([]))).toBeNull();
  });
});
