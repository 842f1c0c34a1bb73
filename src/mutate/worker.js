// Worker thread of `mutate`: runs one mutant at a time. Plain JavaScript so that it can register
// the TypeScript loader itself (loader hooks of the main thread do not reach workers on Node 20).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runMutant } = await import('./run-mutant.ts');
parentPort.on('message', ({ id, budget }) => {
  try {
    parentPort.postMessage({ id, result: runMutant(id, budget) });
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true });
