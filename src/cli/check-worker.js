// A campaign worker of `check --jobs` (check-parallel.ts). Plain JavaScript so that it can
// register the TypeScript loader itself (loader hooks of the main thread do not reach workers on
// Node 20).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { attachControl } = await import('../core/control.ts');
const { UsageError } = await import('../core/errors.ts');
const { planCampaigns } = await import('../api/check.ts');
const { loadVariant } = await import('../variants/load.ts');
const { parseShard } = await import('../core/shard.ts');
const { useInterpreter } = await import('./interpreter.ts');
const { runPlan } = await import('./check-plan.ts');

// The supervisor's cells (src/core/control.ts): Ctrl-C and the watchdog reach this worker too.
attachControl(workerData.control);
const { opts, count, next } = workerData;
try {
  useInterpreter(opts);
  // A variant file is a module: each worker imports it again (functions do not cross threads).
  const variant = opts.variant === undefined ? undefined : await loadVariant(opts.variant);
  const plans = planCampaigns({ ...opts, variant }, variant);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  // What a campaign prints is collected and sent with its result; the command prints it in order.
  let lines = [];
  console.log = (...args) => lines.push(args.join(' '));
  for (let index = Atomics.add(next, 0, 1); index < count; index = Atomics.add(next, 0, 1)) {
    lines = [];
    let last = 0;
    const done = runPlan(plans[index], index, {
      opts,
      variant,
      shard,
      deadline: workerData.deadline,
      progress: false,
      onRuns: (n) => {
        const now = performance.now();
        if (now - last < 250) return;
        last = now;
        parentPort.postMessage({ type: 'runs', index, done: n });
      },
      onFound: (line) => parentPort.postMessage({ type: 'found', line }),
    });
    parentPort.postMessage({ type: 'runs', index, done: done.result?.runs ?? 0 });
    parentPort.postMessage({ type: 'done', done, lines });
  }
} catch (e) {
  parentPort.postMessage({
    type: 'error',
    usage: e instanceof UsageError,
    message: e instanceof Error ? e.message : String(e),
    stack: e instanceof Error ? e.stack : undefined,
  });
}
