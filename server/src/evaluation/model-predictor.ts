// The predictor an evaluation uses: the serving path's own steps (decodeUpload with the server's pixel limit, the
// inference engine, foodDetections' choice of top food), so an evaluation measures what POST /api/v1/predict answers.
import { decodeUpload } from '../images/decode.js';
import type { InferenceEngine, ModelSpec } from '../inference/types.js';
import { foodDetections } from '../serving/food-detections.js';
import type { Predictor } from './predict-dataset.js';

export function modelPredictor(engine: InferenceEngine, spec: ModelSpec, maxImagePixels: number): Predictor {
  return async (image) => {
    const upload = await decodeUpload(image, { maxPixels: maxImagePixels });
    const result = await engine.run(spec.name, spec.version, upload.pixels);
    // built-in COCO detectors answer foods only; a user model's labels are its own, best first
    const top = spec.kind === 'user' ? result.detections[0] : foodDetections(result.detections, upload.width, upload.height)[0];
    return { label: top?.label ?? null, confidence: top?.confidence ?? null };
  };
}
