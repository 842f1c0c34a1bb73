// Worker thread that imports a variant file once, so that the main thread learns whether the
// file finishes loading before it imports the file itself (an endless loop in a module's top-level
// code would otherwise hang the command). Plain JavaScript: it registers the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

try {
  await tsImport(workerData.file, import.meta.url);
  parentPort.postMessage({ ok: true });
} catch {
  // The main thread's own import reports the error with its message.
  parentPort.postMessage({ ok: true });
}
