// Worker thread of a parallel exploration. Plain JavaScript so that it can register the
// TypeScript loader itself (loader hooks of the main thread do not reach workers on Node 20).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { exploreSpec } = await import('./explore-spec.ts');
const result = exploreSpec(workerData.spec, {
  keepFingerprints: true,
  progressMs: 1000,
  onProgress: (p) => parentPort.postMessage({ type: 'progress', progress: p }),
});
parentPort.postMessage({ type: 'done', result }, [result.fingerprints.buffer]);
