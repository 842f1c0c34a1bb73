import { Worker } from 'node:worker_threads';
import { controlBuffer } from '../core/control.ts';
import { UsageError } from '../core/errors.ts';
import type { CheckOptions } from './check-options.ts';
import type { PlanDone } from './check-plan.ts';

// `check --jobs N`: the campaigns of one command on N worker threads. Each worker takes the next
// campaign not yet taken (a shared counter), runs it exactly as one thread would (runPlan, on the
// same plan: every worker plans the campaigns again from the same options, a function of them),
// and sends back what it printed and its result. The command prints the campaigns in plan order,
// each as soon as it and every campaign before it are done, so the output is the one a single
// thread prints; after the first failure in plan order the workers are stopped and nothing after
// it is reported, as on one thread. Campaigns are independent, so two workers on two cores run
// about twice as many runs per second of wall clock (docs/speed.md, "check --jobs").

type FromWorker =
  | { type: 'runs'; index: number; done: number }
  | { type: 'found'; line: string }
  | { type: 'done'; done: PlanDone; lines: string[] }
  | { type: 'error'; usage: boolean; message: string; stack?: string };

export interface ParallelHandlers {
  /** A campaign's report, in plan order: print `lines`, then finish it; return false to stop (a failure). */
  onDone(done: PlanDone, lines: string[]): boolean;
  /** Runs done so far over all campaigns. */
  onRuns(total: number): void;
  /** A failure found by some campaign, before shrinking (said at once, on stderr). */
  onFound(line: string): void;
}

export function runPlansParallel(
  opts: CheckOptions,
  count: number,
  jobs: number,
  deadline: number | undefined,
  h: ParallelHandlers,
): Promise<void> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const finished: Array<{ done: PlanDone; lines: string[] } | undefined> = new Array(count);
  const runs = new Array<number>(count).fill(0);
  let printed = 0;
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const end = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const flush = () => {
      while (printed < count && finished[printed]) {
        const { done, lines } = finished[printed]!;
        printed++;
        if (!h.onDone(done, lines)) return end();
      }
      if (printed === count) end();
    };
    for (let w = 0; w < Math.min(jobs, count); w++) {
      const worker = new Worker(new URL('./check-worker.js', import.meta.url), {
        workerData: { opts, count, next, deadline, control: controlBuffer() },
        // --no-color and the like reach picocolors in the worker as they did here.
        argv: process.argv.slice(2),
      });
      workers.push(worker);
      worker.on('message', (m: FromWorker) => {
        if (settled) return;
        if (m.type === 'runs') {
          runs[m.index] = m.done;
          h.onRuns(runs.reduce((a, b) => a + b, 0));
        } else if (m.type === 'found') h.onFound(m.line);
        else if (m.type === 'done') {
          finished[m.done.index] = { done: m.done, lines: m.lines };
          flush();
        } else {
          const e = m.usage ? new UsageError(m.message) : new Error(m.message);
          if (m.stack && !m.usage) e.stack = m.stack;
          end(e);
        }
      });
      worker.on('error', (e) => end(e));
      worker.on('exit', (code) => {
        if (code !== 0 && !settled) end(new Error(`check worker ${w} exited with code ${code}`));
      });
    }
  });
}
