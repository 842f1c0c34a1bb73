// The thread a user's assignor runs in (see sandbox.ts). Plain JavaScript so that it starts
// without a loader; it registers tsx itself to import a TypeScript assignor file.
//
// Protocol: every answer is a message on `port` followed by setting `flag[0]` to 1 and a
// notify, so the main thread can wait synchronously (Atomics.wait) with a time limit.
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

const { file, port, shared } = workerData;
const flag = new Int32Array(shared);

function answer(message) {
  try {
    port.postMessage(message);
  } catch (e) {
    // A result structured clone cannot copy (a function, a class instance with methods...).
    port.postMessage({ ok: false, problem: 'uncopyable', message: `returned a value that cannot be copied: ${oneLine(e)}` });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function oneLine(e) {
  const text = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return text.split('\n')[0];
}

/** The assignor a module exports: the default export, or a named `assignor`. */
function exported(mod) {
  const found = mod.assignor ?? mod.default;
  // A file Node treats as CommonJS arrives wrapped: its exports object is the default export.
  if (found && typeof found === 'object' && typeof found.assign !== 'function') return found.assignor ?? found.default ?? found;
  return found;
}

let assignor;
try {
  // Both hooks: a .ts file outside an ESM package is loaded as CommonJS.
  register();
  registerCjs();
  const mod = await import(pathToFileURL(file).href);
  assignor = exported(mod);
  if (assignor === null || typeof assignor !== 'object') {
    answer({ ok: false, problem: 'no-export', message: 'exports no assignor (expected a default export or a named `assignor` export)' });
  } else if (typeof assignor.name !== 'string' || assignor.name === '' || typeof assignor.assign !== 'function') {
    answer({ ok: false, problem: 'no-export', message: 'the exported assignor needs a non-empty string `name` and an `assign` function' });
  } else {
    const { name, supportedProtocols, balance, sticky } = assignor;
    answer({ ok: true, value: { name, supportedProtocols, balance, sticky } });
  }
} catch (e) {
  answer({ ok: false, problem: 'load', message: `failed to load: ${oneLine(e)}` });
}

port.on('message', async (input) => {
  try {
    const started = performance.now();
    const value = await assignor.assign(input);
    answer({ ok: true, value, ms: performance.now() - started });
  } catch (e) {
    answer({ ok: false, problem: 'threw', message: `threw ${oneLine(e)}` });
  }
});
