import { Worker } from 'node:worker_threads';
import type { Mutant } from './mutants.ts';
import type { Budget, MutantResult } from './run-mutant.ts';

// Runs mutants on worker threads of this process, `jobs` at a time. A worker that does not
// answer within the mutant's cap plus a grace (a run in progress finishes; start-up) is stopped: the mutant made the model
// hang (a step that never returns), which is a detected difference, so it counts as killed.
// A worker that dies (the model threw outside the engines' reach) likewise.
// `signal` (Ctrl-C in the CLI): no mutant starts after it, the ones running are stopped and left
// out, and the results are those of the mutants that finished.

const GRACE_MS = 12_000;

export async function runPool(
  mutants: Mutant[],
  budget: Budget,
  jobs: number,
  onResult: (r: MutantResult, done: number) => void = () => {},
  signal?: AbortSignal,
): Promise<MutantResult[]> {
  const results: MutantResult[] = new Array(mutants.length);
  let next = 0;
  let done = 0;
  const finish = (i: number, r: MutantResult) => {
    results[i] = r;
    onResult(r, ++done);
  };
  const lane = async (): Promise<void> => {
    let worker: Worker | undefined;
    while (next < mutants.length && !signal?.aborted) {
      const i = next++;
      const m = mutants[i];
      worker ??= new Worker(new URL('./worker.js', import.meta.url));
      const w = worker;
      const started = performance.now();
      const outcome = await new Promise<{ result?: MutantResult; error?: string; hang?: boolean; aborted?: boolean }>((resolve) => {
        const timer = setTimeout(() => resolve({ hang: true }), budget.maxSeconds * 1000 + GRACE_MS);
        const onAbort = () => {
          cleanup();
          resolve({ aborted: true });
        };
        const onMessage = (msg: { id?: string; result?: MutantResult; error?: string }) => {
          if (msg.id !== m.id) return;
          cleanup();
          resolve(msg);
        };
        const onError = (e: Error) => {
          cleanup();
          resolve({ error: e.message });
        };
        const cleanup = () => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', onError);
          signal?.removeEventListener('abort', onAbort);
        };
        signal?.addEventListener('abort', onAbort);
        w.on('message', onMessage);
        w.on('error', onError);
        w.postMessage({ id: m.id, budget });
      });
      const seconds = (performance.now() - started) / 1000;
      if (outcome.result) {
        finish(i, outcome.result);
        continue;
      }
      // The worker is stuck or gone (or the run was stopped): stop it; a fresh one takes the next mutant.
      await w.terminate();
      worker = undefined;
      if (outcome.aborted) break;
      const engine = outcome.hang ? 'hang' : 'crash';
      const message = outcome.hang ? `no answer within ${Math.round(seconds)} s` : (outcome.error ?? 'worker died');
      finish(i, {
        ...m,
        status: 'killed',
        kill: { engine, invariant: outcome.hang ? 'model-hung' : 'model-threw', message, place: 'worker' },
        seconds,
        killSeconds: seconds,
        runs: 0,
        states: 0,
        reached: 1,
      });
    }
    await worker?.terminate();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, mutants.length)) }, lane));
  return results.filter((r) => r !== undefined);
}
