// COCO class labels in the order both detectors emit them, and the subset FoodLens reports as food.
//
// Reference: @vladmandic/human src/object/labels.ts lists 80 COCO labels as { class: 1..80, label }. Both models
// index that list from 0: CenterNet's detections tensor carries the 0-based index in its 6th column (human reads
// `labels[classVal]`), NanoDet's score tensors have one column per label (human reads `labels[j]`).
import type { Detection } from './types.js';

export const COCO_LABELS: readonly string[] = Object.freeze([
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
]);

// The COCO classes FoodLens treats as food (COCO indices 46..55) are part of the API contract.
import { FOOD_CLASSES, type FoodClass } from '@foodlens/contracts';

export { FOOD_CLASSES, type FoodClass };

const FOOD_SET: ReadonlySet<string> = new Set(FOOD_CLASSES);

export function isFoodLabel(label: string): label is FoodClass {
  return FOOD_SET.has(label);
}

/** Label for a 0-based class index as emitted by the models; undefined when out of range or not an integer. */
export function cocoLabel(index: number): string | undefined {
  return Number.isInteger(index) ? COCO_LABELS[index] : undefined;
}

/** The highest-confidence detection whose label is a food class (first one wins on ties), if any. */
export function topFoodDetection(detections: readonly Detection[]): Detection | undefined {
  let best: Detection | undefined;
  for (const d of detections) {
    if (isFoodLabel(d.label) && (best === undefined || d.confidence > best.confidence)) best = d;
  }
  return best;
}
