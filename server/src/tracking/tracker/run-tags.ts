// Tags FoodLens puts on the runs it makes itself, so they can be found again (serving runs across restarts) and
// told apart from runs logged by MLflow clients. Dotted names in the `foodlens.` namespace, as MLflow does with
// `mlflow.`; in a search filter they need backticks: tags.`foodlens.model_version` = '1'.
export const RUN_TYPE_TAG = 'foodlens.run_type';
export const MODEL_NAME_TAG = 'foodlens.model_name';
export const MODEL_VERSION_TAG = 'foodlens.model_version';

export type FoodlensRunType = 'serving' | 'evaluation';

export const SERVING_EXPERIMENT = 'food-detector-serving';
export const EVALUATION_EXPERIMENT = 'food-detector-evaluation';

/** A string literal for an MLflow search filter: single quotes, an inner quote doubled. */
export function filterString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
