import { Worker } from 'node:worker_threads';
import { controlBuffer } from '../core/control.ts';
import type { Variant } from '../variants/variant.ts';
import type { Progress } from './bfs.ts';
import { exploreSpec, type ExploreSpec, type SpecResult } from './spec.ts';

// Parallel exploration: every worker walks the same graph in the same order (expansion is
// repeated), and checks only its share of the states, by fingerprint: the invariants on the
// steps out of them and the liveness walks from them, most of the cost. So each worker sees
// every state and the counts are those of one thread. A violation is reported with its
// position in the search order; the earliest one, the one a single thread finds first, wins,
// and a shared cell tells the other workers to stop once they have passed it.

export interface MergedResult extends SpecResult {
  workers: number;
}

const NONE = 2 ** 31 - 1;

/** `loaded`: the variant already loaded in this thread (a file variant; workers load `spec.variantFile` again). */
export async function exploreParallel(
  spec: ExploreSpec,
  workers: number,
  onProgress?: (p: Progress) => void,
  loaded?: Variant,
): Promise<MergedResult> {
  if (workers <= 1) {
    const r = exploreSpec(spec, { onProgress, progressMs: 1000 }, loaded);
    return { ...r, workers: 1 };
  }
  const started = performance.now();
  const stop = new Int32Array(new SharedArrayBuffer(4));
  stop[0] = NONE;
  const latest: Progress[] = [];
  const results = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      return new Promise<SpecResult>((resolve, reject) => {
        const worker = new Worker(new URL('./worker.js', import.meta.url), {
          // The supervisor's cells (src/core/control.ts): Ctrl-C and the watchdog reach this worker too.
          workerData: { spec, share: { index: w, count: workers }, stop, control: controlBuffer() },
        });
        worker.on('message', (m: { type: 'progress'; progress: Progress } | { type: 'done'; result: SpecResult }) => {
          if (m.type === 'done') return resolve(m.result);
          latest[w] = m.progress;
          if (onProgress) onProgress(slowest(latest, (performance.now() - started) / 1000));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => code !== 0 && reject(new Error(`explore worker ${w} exited with code ${code}`)));
      });
    }),
  );
  const violating = results.filter((r) => r.violation).sort((a, b) => a.violationAt! - b.violationAt!);
  // The worker that found the earliest violation stopped where one thread would have; without
  // one, every worker walked the whole graph and their counts agree.
  const lead = violating[0] ?? results[0];
  const coverage = spec.coverage ? mergeCoverage(results.map((r) => r.coverage!)) : undefined;
  return {
    ...lead,
    seconds: (performance.now() - started) / 1000,
    heapBytes: results.reduce((a, r) => a + r.heapBytes, 0),
    storeBytes: results.reduce((a, r) => a + r.storeBytes, 0),
    liveness: spec.liveness
      ? {
          walks: results.reduce((a, r) => a + (r.liveness?.walks ?? 0), 0),
          steps: results.reduce((a, r) => a + (r.liveness?.steps ?? 0), 0),
        }
      : undefined,
    coverage,
    // Each worker checks its own share of the states: the goal counts add up.
    goals: spec.goals ? sumCounts(results.map((r) => r.goals ?? {})) : undefined,
    cancelled: undefined,
    timedOut: results.some((r) => r.timedOut) || undefined,
    heapCapped: results.some((r) => r.heapCapped) || undefined,
    stopped: results.some((r) => r.stopped) || undefined,
    workers,
  };
}

/** Every worker walks the same graph: the progress is that of the one furthest behind. */
function slowest(ps: Progress[], seconds: number): Progress {
  const live = ps.filter(Boolean);
  const behind = live.reduce((a, p) => (p.transitions < a.transitions ? p : a), live[0]);
  return { ...behind, seconds };
}

function mergeCoverage(all: string[][][]): string[][] {
  return [0, 1, 2, 3].map((i) => [...new Set(all.flatMap((c) => c[i]))]);
}

function sumCounts(all: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return out;
}
