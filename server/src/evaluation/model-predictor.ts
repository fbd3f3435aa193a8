// The predictor an evaluation uses: the serving path's own steps (decodeUpload with the server's pixel limit, the
// inference engine, answerDetections' choice of top food), so an evaluation measures what POST /api/v1/predict answers,
// and records the image statistics a served prediction logs (serving/prediction-record.ts) from the same values.
import { decodeUpload } from '../images/decode.js';
import type { InferenceEngine, ModelSpec } from '../inference/types.js';
import { answerDetections } from '../serving/food-detections.js';
import type { Predictor } from './predict-dataset.js';

export function modelPredictor(engine: InferenceEngine, spec: ModelSpec, maxImagePixels: number): Predictor {
  return async (image) => {
    const upload = await decodeUpload(image, { maxPixels: maxImagePixels });
    const result = await engine.run(spec.name, spec.version, upload.pixels);
    // built-in COCO detectors answer foods only; a user model's labels are its own, best first
    const top = answerDetections(spec, result.detections, upload.width, upload.height)[0];
    const { brightness, contrast, saturation, sharpness } = result.stats;
    return {
      label: top?.label ?? null,
      confidence: top?.confidence ?? null,
      image: { width: upload.width, height: upload.height, bytes: upload.sizeBytes, brightness, contrast, saturation, sharpness },
    };
  };
}
