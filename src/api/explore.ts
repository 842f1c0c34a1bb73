// `explore(options)`: the exhaustive breadth-first search as a library call.
import { exploreCounterexample } from '../explore/counterexample.ts';
import { exploreParallel, type MergedResult } from '../explore/parallel.ts';
import { resolveSpec, specSession, type ExploreRequest, type ExploreSpec } from '../explore/spec.ts';
import type { Progress } from '../explore/bfs.ts';
import type { Counterexample } from '../replay/counterexample.ts';
import type { Variant } from '../variants/variant.ts';
import { resolveVariant } from './check.ts';

export interface ExploreOptions extends ExploreRequest {
  /** A variant (from `defineVariant`), a catalogue name or the path of a variant file. */
  variant?: Variant | string;
  /** Worker threads that split the checking (default 1: on two cores one is fastest). */
  workers?: number;
  onProgress?: (p: Progress) => void;
}

export interface ExploreReport {
  ok: boolean;
  /** The instance and bounds explored: the options given, then the variant's explore settings, then the defaults. */
  spec: ExploreSpec;
  result: MergedResult;
  /**
   * Nothing was cut off by a bound: every reachable state within the fault budgets was visited.
   * Timers held back by a bounded-delay network (`result.cut.delay`) are its semantics, not a cut.
   */
  complete: boolean;
  /** A shortest path to the violation, as a counterexample file's content. */
  counterexample?: Counterexample;
}

export async function explore(options: ExploreOptions = {}): Promise<ExploreReport> {
  const { variant: v, workers = 1, onProgress, ...request } = options;
  const variant = await resolveVariant(v);
  const { spec } = resolveSpec(variant, request);
  const result = await exploreParallel(spec, workers, onProgress, variant);
  const { session } = specSession(spec, variant);
  const c = result.cut;
  return {
    ok: !result.violation,
    spec,
    result,
    complete: !result.stopped && c.depth + c.inFlight + c.time === 0,
    counterexample: result.violation && exploreCounterexample(session, variant, result.violation),
  };
}
