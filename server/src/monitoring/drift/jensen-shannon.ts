// Jensen-Shannon distance, `scipy.spatial.distance.jensenshannon(p, q)` (natural log, so at most √ln 2 ≈ 0.833),
// on Evidently's binned shares (no zero-filling: empty bins contribute nothing).

/** √(½·KL(p‖m) + ½·KL(q‖m)), m = (p + q)/2, after normalising p and q to sum 1 (as SciPy does). */
export function jensenShannonDistance(p: number[], q: number[]): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(0, (left + right) / 2));
}
