// Accuracy of each built-in model version on the labelled IFCT photos, as served (FOOD_DETECTOR_OPTIONS), with a
// per-photo table. Not a benchmark (no timing): `npx tsx bench/_accuracy.ts`. The evaluation runs of the tracking
// work do this properly for any folder of labelled images.
import { builtinFoodModels, createInferenceEngine, topFoodDetection } from '../server/src/inference/index.js';
import { decodePhoto, LABELLED_PHOTOS } from '../server/test/photos.js';

const engine = createInferenceEngine({ workers: 2 });
const specs = builtinFoodModels();
await Promise.all(specs.map((s) => engine.load(s)));
for (const spec of specs) {
  let correct = 0;
  const rows: string[] = [];
  for (const { code, label } of LABELLED_PHOTOS) {
    const top = topFoodDetection((await engine.run(spec.name, spec.version, await decodePhoto(code))).detections);
    if (top?.label === label) correct++;
    rows.push(`  ${code} ${label.padEnd(7)} -> ${top ? `${top.label} ${top.confidence.toFixed(2)}` : 'none'}${top?.label === label ? '' : '  ✗'}`);
  }
  console.log(`${spec.name}/${spec.version} (${spec.architecture}): ${correct}/${LABELLED_PHOTOS.length}\n${rows.join('\n')}`);
}
await engine.close();
