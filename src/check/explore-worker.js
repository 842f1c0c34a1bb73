// Worker thread of a parallel exploration. Plain JavaScript so that it can register the
// TypeScript loader itself (loader hooks of the main thread do not reach workers on Node 20).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { exploreSpec } = await import('./explore-spec.ts');
// A variant file is a module: each worker imports it again (functions do not cross threads).
const { loadVariant } = await import('../explore/load.ts');
const variant = workerData.spec.variantFile === undefined ? undefined : await loadVariant(workerData.spec.variantFile);
const result = exploreSpec(
  workerData.spec,
  {
    keepFingerprints: true,
    progressMs: 1000,
    onProgress: (p) => parentPort.postMessage({ type: 'progress', progress: p }),
  },
  variant,
);
parentPort.postMessage({ type: 'done', result }, [result.fingerprints.buffer]);
