// A deployment being edited, and the rules the server applies to it (server/src/deployments/deployment-config.ts),
// checked here too so Apply says what is wrong before a round trip that would load models.
import type { DeploymentConfig } from '@foodlens/contracts';

export interface DraftChallenger {
  /** stable key for React while versions change */
  key: number;
  version: string;
  /** whole percent */
  weight: number;
}

export interface DeploymentDraft {
  champion: string;
  challengers: DraftChallenger[];
  /** sample rate in whole percent in the editor; the API takes 0..1 */
  shadow: { version: string; percent: number } | null;
}

let nextKey = 1;
export const challengerKey = () => nextKey++;

export function draftFrom(config: DeploymentConfig): DeploymentDraft {
  return {
    champion: config.champion,
    challengers: config.challengers.map((c) => ({ key: challengerKey(), version: c.version, weight: c.weight })),
    shadow: config.shadow ? { version: config.shadow.version, percent: Math.round(config.shadow.sample_rate * 100) } : null,
  };
}

export function configFrom(d: DeploymentDraft): DeploymentConfig {
  return {
    champion: d.champion,
    challengers: d.challengers.map((c) => ({ version: c.version, weight: c.weight })),
    shadow: d.shadow ? { version: d.shadow.version, sample_rate: d.shadow.percent / 100 } : null,
  };
}

/** What the server would refuse; empty when the draft can be applied. */
export function draftProblems(d: DeploymentDraft): string[] {
  const problems: string[] = [];
  if (!d.champion) problems.push('pick a champion version');
  const total = d.challengers.reduce((sum, c) => sum + c.weight, 0);
  if (total > 100) problems.push(`challenger weights add up to ${total}%: at most 100% (the champion gets the rest)`);
  const seen = new Set<string>();
  for (const c of d.challengers) {
    if (c.version === d.champion) problems.push(`v${c.version} is the champion and cannot also be a challenger`);
    else if (seen.has(c.version)) problems.push(`v${c.version} is listed as a challenger twice`);
    seen.add(c.version);
  }
  if (d.shadow && d.shadow.version === d.champion) problems.push(`the shadow version must differ from the champion (v${d.champion})`);
  return problems;
}

export function sameConfig(a: DeploymentConfig, b: DeploymentConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Promoting `version`: it becomes champion and leaves the challengers and the shadow; the rest stays as it is. */
export function promoted(current: DeploymentConfig | null, version: string): DeploymentConfig {
  return {
    champion: version,
    challengers: current?.challengers.filter((c) => c.version !== version) ?? [],
    shadow: current?.shadow && current.shadow.version !== version ? current.shadow : null,
  };
}

/** "champion v2 · challengers v1 30% · shadow v3 10%" */
export function describeConfig(c: DeploymentConfig): string {
  const parts = [`champion v${c.champion}`];
  if (c.challengers.length > 0) parts.push(`challengers ${c.challengers.map((x) => `v${x.version} ${x.weight}%`).join(', ')}`);
  if (c.shadow) parts.push(`shadow v${c.shadow.version} ${Math.round(c.shadow.sample_rate * 100)}%`);
  return parts.join(' · ');
}
