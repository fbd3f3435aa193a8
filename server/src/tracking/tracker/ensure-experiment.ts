// Get-or-create an experiment by name, safe when several instances (or the evaluate command and a server) do it at
// once: the loser of the race gets AlreadyExists from the store's unique name and reads what the winner made.
import { AlreadyExists } from '../../util/errors.js';
import type { Experiment, Tag, TrackingService } from '../types.js';

export async function ensureExperiment(tracking: TrackingService, name: string, tags: Tag[] = []): Promise<Experiment> {
  const found = await tracking.findExperimentByName(name);
  if (found) {
    if (found.lifecycleStage === 'deleted') await tracking.restoreExperiment(found.experimentId);
    return found.lifecycleStage === 'deleted' ? tracking.getExperiment(found.experimentId) : found;
  }
  try {
    return await tracking.getExperiment(await tracking.createExperiment({ name, tags }));
  } catch (err) {
    if (!(err instanceof AlreadyExists)) throw err;
    return tracking.getExperimentByName(name);
  }
}
