// What makes a deployment config valid, and turning one into the router's table of loadable specs.
import { DeploymentConfig } from '@foodlens/contracts';
import { ModelCatalog } from '../serving/model-catalog.js';
import type { RouteTable } from '../serving/deployment-router.js';
import { InvalidParameter } from '../util/errors.js';

/** Rules that need no database: weights, duplicates, the shadow. Empty when the config is consistent. */
export function configProblems(config: DeploymentConfig): string[] {
  const problems: string[] = [];
  const total = config.challengers.reduce((sum, c) => sum + c.weight, 0);
  if (total > 100) problems.push(`challenger weights add up to ${total}%: at most 100% (the champion gets the rest)`);
  const seen = new Set<string>();
  for (const c of config.challengers) {
    if (c.version === config.champion) problems.push(`version ${c.version} is the champion and cannot also be a challenger`);
    else if (seen.has(c.version)) problems.push(`version ${c.version} is listed as a challenger twice`);
    seen.add(c.version);
  }
  if (config.shadow && config.shadow.version === config.champion) {
    problems.push(`the shadow version must differ from the champion (both are ${config.champion})`);
  }
  return problems;
}

/** Every version a config names, champion first. */
export function configVersions(config: DeploymentConfig): string[] {
  return [...new Set([config.champion, ...config.challengers.map((c) => c.version), ...(config.shadow ? [config.shadow.version] : [])])];
}

/** Validates a config against the registry and resolves it to specs; a 400 naming every problem otherwise. */
export async function toRouteTable(catalog: ModelCatalog, model: string, revision: number, config: DeploymentConfig): Promise<RouteTable> {
  const problems = configProblems(config);
  const specs = new Map<string, Awaited<ReturnType<ModelCatalog['lookup']>>>();
  for (const version of configVersions(config)) specs.set(version, await catalog.lookup(model, version));
  for (const found of specs.values()) if (!found.ok) problems.push(found.reason);
  if (problems.length > 0) throw new InvalidParameter(`invalid deployment for ${model}: ${problems.join('; ')}`, { reason: 'invalid_deployment' });
  const spec = (version: string) => {
    const found = specs.get(version);
    if (!found?.ok) throw new Error(`unreachable: ${version} was validated`);
    return found.spec;
  };
  return {
    name: model,
    revision,
    champion: { version: config.champion, spec: spec(config.champion) },
    challengers: config.challengers.map((c) => ({ version: c.version, weight: c.weight, spec: spec(c.version) })),
    shadow: config.shadow ? { version: config.shadow.version, sampleRate: config.shadow.sample_rate, spec: spec(config.shadow.version) } : null,
  };
}

export function parseStoredConfig(json: string): DeploymentConfig {
  return DeploymentConfig.parse(JSON.parse(json));
}

/** The config after the champion alias moved to `version` outside deployments: it leaves the challengers and shadow. */
export function withChampion(config: DeploymentConfig, version: string): DeploymentConfig {
  return {
    champion: version,
    challengers: config.challengers.filter((c) => c.version !== version),
    shadow: config.shadow?.version === version ? null : config.shadow,
  };
}
