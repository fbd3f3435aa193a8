import { FOOD_CLASSES, type Detection } from '@foodlens/contracts';

/** The built-in detector's name (README: the default model); its labels are the contract's FOOD_CLASSES. */
const BUILT_IN_MODEL = 'food-detector';

/**
 * The foods offered after "Wrong, it was …": the built-in detector's ten food classes (FOOD_CLASSES in
 * packages/contracts/src/predictions.ts, the list the server filters detections with). No endpoint returns a user
 * model's labels, so for any other model the labels it answered with this time are offered; "something else" covers
 * the rest. The predicted food is left out: if it was right, "Correct" says so.
 */
export function feedbackLabels(modelName: string, detections: Detection[], predicted: string | null): string[] {
  const food: readonly string[] = FOOD_CLASSES;
  const builtIn = modelName === BUILT_IN_MODEL && detections.every((d) => food.includes(d.label));
  const labels = builtIn ? [...food] : [...new Set(detections.map((d) => d.label))];
  return labels.filter((l) => l !== predicted);
}
