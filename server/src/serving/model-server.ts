// Which model version answers, and whether it is loaded. The registry issue grows this into a deployment router
// (aliases, A/B splits, shadows); for now one version of food-detector serves every request.
import type { InferenceEngine, ModelSpec } from '../inference/types.js';
import { ServiceUnavailable } from '../util/errors.js';
import type { ServedModel } from './predict.service.js';

export interface ModelStatus {
  name: string;
  version: string;
  loaded: boolean;
  workers: number;
  queue_depth: number;
}

export class ModelServer {
  private serving: ServedModel;

  constructor(
    private readonly engine: InferenceEngine & { readonly size?: number; queueDepth?(): number },
    private readonly specs: readonly ModelSpec[],
    initial: ServedModel,
  ) {
    this.spec(initial.name, initial.version);
    this.serving = initial;
  }

  /** Loads and warms the serving version; resolves when it can answer. */
  async start(): Promise<void> {
    await this.engine.load(this.spec(this.serving.name, this.serving.version));
  }

  resolve(_userId: string | null): ServedModel {
    if (!this.engine.isLoaded(this.serving.name, this.serving.version)) {
      throw new ServiceUnavailable(`model ${this.serving.name}/${this.serving.version} is not loaded yet`);
    }
    return this.serving;
  }

  status(): ModelStatus {
    return {
      ...this.serving,
      loaded: this.engine.isLoaded(this.serving.name, this.serving.version),
      workers: this.engine.size ?? 1,
      queue_depth: this.engine.queueDepth?.() ?? 0,
    };
  }

  private spec(name: string, version: string): ModelSpec {
    const spec = this.specs.find((s) => s.name === name && s.version === version);
    if (!spec) {
      const known = this.specs.map((s) => `${s.name}/${s.version}`).join(', ');
      throw new Error(`unknown model ${name}/${version} (known: ${known})`);
    }
    return spec;
  }
}
