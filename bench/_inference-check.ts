// Inference check: accuracy on the IFCT food photos and latency per model version, through the worker pool.
//   npx tsx bench/_inference-check.ts            # TypeScript sources (workers run worker.ts via tsx)
//   npx tsx bench/_inference-check.ts --dist     # compiled server/dist/inference (workers run worker.js)
// Env: INFER_WORKERS (default 2), INFER_ROUNDS (sequential passes over the 11 photos, default 3).
import { decodePhoto, LABELLED_PHOTOS } from '../server/test/photos.js';
import type { DecodedImage } from '../server/src/inference/types.js';

type InferenceModule = typeof import('../server/src/inference/index.js');
const useDist = process.argv.includes('--dist');
const mod = (await import(useDist ? '../server/dist/inference/index.js' : '../server/src/inference/index.js')) as InferenceModule;
const { builtinFoodModels, createInferenceEngine, topFoodDetection, FOOD_MODEL_NAME } = mod;

const WORKERS = Number(process.env.INFER_WORKERS ?? 2);
const ROUNDS = Number(process.env.INFER_ROUNDS ?? 3);
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};

const photos = new Map<string, DecodedImage>();
for (const { code } of LABELLED_PHOTOS) photos.set(code, await decodePhoto(code));
const fresh = (code: string): DecodedImage => {
  const p = photos.get(code)!;
  return { ...p, data: p.data.slice() };
};

const engine = createInferenceEngine({ workers: WORKERS });
const t0 = performance.now();
await Promise.all(builtinFoodModels().map((s) => engine.load(s)));
console.log(`${useDist ? 'dist' : 'src'}: ${WORKERS} workers, both models loaded + warmed in ${(performance.now() - t0).toFixed(0)} ms`);
const tensorsBefore = (await engine.debug.memory()).map((m) => m.numTensors);

for (const spec of builtinFoodModels()) {
  const v = spec.version;
  let correct = 0;
  const table: string[] = [];
  const e2e: number[] = [];
  const infer: number[] = [];
  const worker: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const { code, label } of LABELLED_PHOTOS) {
      const s = performance.now();
      const r = await engine.run(FOOD_MODEL_NAME, v, fresh(code));
      e2e.push(performance.now() - s);
      infer.push(r.inferenceMs);
      worker.push(r.preprocessMs + r.inferenceMs + r.postprocessMs);
      if (round === 0) {
        const top = topFoodDetection(r.detections);
        if (top?.label === label) correct++;
        table.push(`  ${code} ${label.padEnd(7)} -> ${top ? `${top.label} ${top.confidence.toFixed(2)}` : '(no food)'}${top?.label === label ? '' : '   MISS'}`);
      }
    }
  }
  // concurrent: 2 requests per worker in flight
  const conc = WORKERS * 2;
  const codes = LABELLED_PHOTOS.map((p) => p.code);
  const c0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < codes.length * ROUNDS) {
        const code = codes[next++ % codes.length]!;
        await engine.run(FOOD_MODEL_NAME, v, fresh(code));
      }
    }),
  );
  const throughput = (codes.length * ROUNDS) / ((performance.now() - c0) / 1000);
  console.log(
    `food-detector v${v} (${spec.architecture}): ${correct}/${LABELLED_PHOTOS.length} correct | sequential n=${e2e.length}: ` +
      `end-to-end p50 ${q(e2e, 0.5).toFixed(0)} ms p95 ${q(e2e, 0.95).toFixed(0)} ms, inference p50 ${q(infer, 0.5).toFixed(0)} ms, ` +
      `worker total p50 ${q(worker, 0.5).toFixed(0)} ms | ${conc} concurrent: ${throughput.toFixed(1)} img/s`,
  );
  console.log(table.join('\n'));
}

const tensorsAfter = (await engine.debug.memory()).map((m) => m.numTensors);
console.log(`tensors per worker before ${tensorsBefore.join('/')} after ${tensorsAfter.join('/')}`);
await engine.close();
