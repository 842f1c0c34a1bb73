import { Worker } from 'node:worker_threads';
import type { Variant } from '../explore/variant.ts';
import type { Progress } from './explore.ts';
import { exploreSpec, type ExploreSpec, type SpecResult } from './explore-spec.ts';

// Parallel exploration: worker w of W explores the first-level subtrees of its sub-shard
// (shard i/n becomes shards i*W+w of n*W), each a complete BFS of its part; the parent takes
// the union of the workers' state fingerprints (an exact distinct count), sums the
// transitions, and keeps the shortest violation. Subtrees overlap, so work is repeated
// where they meet: the speed-up is below W (see README, Exhaustive exploration).

export interface MergedResult extends SpecResult {
  workers: number;
  /** Distinct states summed over workers before the union (shows the overlap). */
  statesSummed: number;
}

/** `loaded`: the variant already loaded in this thread (a file variant; workers load `spec.variantFile` again). */
export async function exploreParallel(spec: ExploreSpec, workers: number, onProgress?: (p: Progress) => void, loaded?: Variant): Promise<MergedResult> {
  const outer = spec.shard ?? { index: 0, count: 1 };
  if (workers <= 1) {
    const r = exploreSpec(spec, { onProgress, progressMs: 1000 }, loaded);
    return { ...r, workers: 1, statesSummed: r.states };
  }
  const started = performance.now();
  const latest: Progress[] = [];
  const results = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const shard = { index: outer.index * workers + w, count: outer.count * workers };
      return new Promise<SpecResult>((resolve, reject) => {
        const worker = new Worker(new URL('./explore-worker.js', import.meta.url), { workerData: { spec: { ...spec, shard } } });
        worker.on('message', (m: { type: 'progress'; progress: Progress } | { type: 'done'; result: SpecResult }) => {
          if (m.type === 'done') return resolve(m.result);
          latest[w] = m.progress;
          if (onProgress) onProgress(sumProgress(latest, (performance.now() - started) / 1000));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => code !== 0 && reject(new Error(`explore worker ${w} exited with code ${code}`)));
      });
    }),
  );
  const union = new Set<number>();
  for (const r of results) for (const h of r.fingerprints!) union.add(h);
  // The shortest violation; among equals, the lowest worker (deterministic for a given W).
  const violating = results.filter((r) => r.violation).sort((a, b) => a.violation!.path.length - b.violation!.path.length);
  const coverage = spec.coverage ? mergeCoverage(results.map((r) => r.coverage!)) : undefined;
  return {
    states: union.size,
    statesSummed: results.reduce((a, r) => a + r.states, 0),
    transitions: results.reduce((a, r) => a + r.transitions, 0),
    diameter: Math.max(...results.map((r) => r.diameter)),
    seconds: (performance.now() - started) / 1000,
    heapBytes: results.reduce((a, r) => a + r.heapBytes, 0),
    cut: {
      depth: results.reduce((a, r) => a + r.cut.depth, 0),
      inFlight: results.reduce((a, r) => a + r.cut.inFlight, 0),
      time: results.reduce((a, r) => a + r.cut.time, 0),
    },
    violation: violating[0]?.violation,
    liveness: spec.liveness ? { walks: results.reduce((a, r) => a + (r.liveness?.walks ?? 0), 0), steps: results.reduce((a, r) => a + (r.liveness?.steps ?? 0), 0) } : undefined,
    coverage,
    workers,
  };
}

function sumProgress(ps: Progress[], seconds: number): Progress {
  const live = ps.filter(Boolean);
  return {
    states: live.reduce((a, p) => a + p.states, 0),
    transitions: live.reduce((a, p) => a + p.transitions, 0),
    queue: live.reduce((a, p) => a + p.queue, 0),
    depth: Math.max(0, ...live.map((p) => p.depth)),
    seconds,
  };
}

function mergeCoverage(all: string[][][]): string[][] {
  return [0, 1, 2, 3].map((i) => [...new Set(all.flatMap((c) => c[i]))]);
}
