// Drift statistics over summaries (and raw samples): the public surface of monitoring/drift.
export * from './summaries.js';
export { ksTest, ksTestSummaries, ksPValue, type KsResult, type KsSummaryResult } from './ks.js';
export { kolmogorovSf } from './kolmogorov-n.js';
export { chi2Contingency, chiSquareContingencyTest, chiSquareGoodnessOfFit, type ChiSquareResult } from './chi-square.js';
export { twoProportionZTest, type ZTestResult } from './z-test.js';
export { wassersteinTest, wassersteinTestSummaries, type WassersteinResult } from './wasserstein.js';
export { jensenShannonDistance } from './jensen-shannon.js';
export { psi, zeroFill, psiQuantileBins, psiQuantileBinsSummaries, type PsiResult } from './psi.js';
export { binnedSharesRaw, binnedSharesSummaries, categoricalShares, type BinnedShares } from './evidently-bins.js';
export { chooseTest, testSpec, isDrift, type DriftTestName, type DriftTestSpec, type FeatureType } from './choose-test.js';
export { featureDrift, type FeatureInput, type FeatureDriftOptions, type FeatureDriftResult } from './feature-drift.js';
export { datasetDrift, type DatasetDrift } from './dataset-drift.js';
