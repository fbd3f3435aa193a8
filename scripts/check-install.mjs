// After a clean install, prove that every native or wasm piece actually loads: npm 11 can skip install scripts it
// was not told to allow, and a package that installed without its binary only fails later, at first use.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../server/package.json', import.meta.url));
const checks = {
  'better-sqlite3': () => {
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    const { v } = db.prepare('select sqlite_version() as v').get();
    db.close();
    return `SQLite ${v}`;
  },
  sharp: () => `libvips ${require('sharp').versions.vips}`,
  'onnxruntime-node': () => {
    const ort = require('onnxruntime-node');
    if (typeof ort.InferenceSession?.create !== 'function') throw new Error('no InferenceSession');
    return `backends: ${ort.listSupportedBackends?.().map((b) => b.name).join(', ') ?? 'cpu'}`;
  },
  '@tensorflow/tfjs-backend-wasm': async () => {
    const tf = await import(require.resolve('@tensorflow/tfjs'));
    await import(require.resolve('@tensorflow/tfjs-backend-wasm'));
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
    await tf.ready();
    const sum = tf.tensor1d([1, 2, 3]).sum().dataSync()[0];
    if (sum !== 6) throw new Error(`wasm backend computed ${sum}`);
    return `backend ${tf.getBackend()}`;
  },
};

let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try {
    console.log(`ok   ${name}: ${await check()}`);
  } catch (err) {
    failed++;
    console.error(`FAIL ${name}: ${err instanceof Error ? err.message : err}`);
  }
}
if (failed) process.exit(1);
