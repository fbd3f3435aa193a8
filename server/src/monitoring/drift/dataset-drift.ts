// Evidently's dataset-level rule: the dataset drifts when the share of drifted features reaches drift_share.

export interface DatasetDrift {
  /** Features with a result (those without enough data are left out of the share). */
  evaluated: number;
  drifted: number;
  share: number;
  driftShare: number;
  datasetDrift: boolean;
  notEnoughData: string[];
}

export function datasetDrift(
  features: ReadonlyArray<{ name: string; status: 'ok' | 'not_enough_data'; drifted: boolean }>,
  driftShare = 0.5,
): DatasetDrift {
  const evaluated = features.filter((f) => f.status === 'ok');
  const drifted = evaluated.filter((f) => f.drifted).length;
  const share = evaluated.length ? drifted / evaluated.length : 0;
  return {
    evaluated: evaluated.length,
    drifted,
    share,
    driftShare,
    datasetDrift: evaluated.length > 0 && share >= driftShare,
    notEnoughData: features.filter((f) => f.status !== 'ok').map((f) => f.name),
  };
}
