// Worker thread of a parallel exploration. Plain JavaScript so that it can register the
// TypeScript loader itself (loader hooks of the main thread do not reach workers on Node 20).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { exploreSpec } = await import('./spec.ts');
const { attachControl } = await import('../core/control.ts');
attachControl(workerData.control);
// A variant file is a module: each worker imports it again (functions do not cross threads).
const { loadVariant } = await import('../variants/load.ts');
const { spec, share, stop } = workerData;
const variant = spec.variantFile === undefined ? undefined : await loadVariant(spec.variantFile);
const result = exploreSpec(
  spec,
  {
    checkShare: share,
    stopAt: () => Atomics.load(stop, 0),
    progressMs: 1000,
    onProgress: (p) => parentPort.postMessage({ type: 'progress', progress: p }),
  },
  variant,
);
// Tell the others where to stop: the earliest position wins.
if (result.violationAt !== undefined) {
  for (let cur = Atomics.load(stop, 0); result.violationAt < cur; cur = Atomics.load(stop, 0)) {
    if (Atomics.compareExchange(stop, 0, cur, result.violationAt) === cur) break;
  }
}
parentPort.postMessage({ type: 'done', result });
