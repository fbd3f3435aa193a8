import { describe, expect, it } from 'vitest';
import { twoProportionZTest } from './z-test.js';
import { summariseCategories } from './summaries.js';
import { expectClose } from '../../../test/drift-samples.js';

// Evidently's formula in Python (numpy, scipy 1.17.1): key = sorted(set(ref) | set(cur))[0];
// p1, p2 = shares of key; P = (p1*n1 + p2*n2)/(n1 + n2); z = (p1 - p2)/np.sqrt(P*(1-P)*(1.0/n1 + 1.0/n2));
// p = 2*(1 - scipy.stats.norm.cdf(abs(z)))
describe('twoProportionZTest', () => {
  it('ref list("yyyyyyynnn"*4), cur list("yyyynnnnnn"*3)', () => {
    const r = twoProportionZTest(summariseCategories([...'yyyyyyynnn'.repeat(4)]), summariseCategories([...'yyyynnnnnn'.repeat(3)]))!;
    expectClose(r.statistic, -2.5099800796022267, 1e-12);
    expectClose(r.pValue, 0.012073797243122852, 1e-9);
  });

  it('tiny samples: ref ["y", "n"], cur ["n", "n", "n"]', () => {
    const r = twoProportionZTest(summariseCategories(['y', 'n']), summariseCategories(['n', 'n', 'n']))!;
    expectClose(r.statistic, -1.3693063937629153, 1e-12);
    expectClose(r.pValue, 0.17090352023079758, 1e-9);
  });

  it('one shared value is no drift; empty is null; three categories is an error', () => {
    expect(twoProportionZTest(summariseCategories(['a']), summariseCategories(['a', 'a']))).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest(summariseCategories([]), summariseCategories(['a']))).toBeNull();
    expect(() => twoProportionZTest(summariseCategories(['a', 'b']), summariseCategories(['c']))).toThrow(RangeError);
  });
});
