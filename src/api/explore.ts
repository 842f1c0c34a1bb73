// `explore(options)`: the exhaustive breadth-first search as a library call. The CLI's
// `explore` is a printer over it.
import { getHeapStatistics } from 'node:v8';
import { symmetryHolds, type Progress } from '../explore/bfs.ts';
import { exploreCounterexample } from '../explore/counterexample.ts';
import { exploreParallel, type MergedResult } from '../explore/parallel.ts';
import { resolveSpec, specSession, type ExploreRequest, type ExploreSpec } from '../explore/spec.ts';
import type { Session } from '../run/run.ts';
import type { Counterexample } from '../replay/counterexample.ts';
import type { Variant } from '../variants/variant.ts';
import type { Interpreter } from '../world/model.ts';
import { resolveVariant } from './check.ts';

export interface ExploreOptions extends ExploreRequest {
  /** A variant (from `defineVariant`), a catalogue name or the path of a variant file. */
  variant?: Variant | string;
  /** Worker threads that split the checking (default 1: on two cores one is fastest). */
  workers?: number;
  onProgress?: (p: Progress) => void;
  /** Stop after this many seconds of wall-clock time (the report says `timedOut`). */
  maxTime?: number;
  /** Stop after this many distinct states (the report says `stopped`). */
  maxStates?: number;
  /** Stop when the heap passes this many bytes (default: three quarters of the heap limit). */
  maxHeapBytes?: number;
  /** Explore once more without symmetry to measure the reduction (only when nothing failed). */
  measureReduction?: boolean;
  /** Count the steps that reach each reachability goal. */
  goals?: boolean;
  /** The machines' interpreter (default: compiled). */
  interpreter?: Interpreter;
}

export interface ExploreReport {
  ok: boolean;
  /** The instance and bounds explored: the options given, then the variant's explore settings, then the defaults. */
  spec: ExploreSpec;
  /** The variant's explore settings were used for some of the spec. */
  fromVariant: boolean;
  /** Symmetry was asked for but cannot hold (static members or KIP-848 client-made ids name the client), so it was off. */
  symmetryDropped: boolean;
  result: MergedResult;
  /**
   * Nothing was cut off by a bound or a cap: every reachable state within the fault budgets was
   * visited. Timers held back by a bounded-delay network (`result.cut.delay`) are its semantics, not a cut.
   */
  complete: boolean;
  /** Distinct states without symmetry, with `measureReduction`. */
  statesWithoutSymmetry?: number;
  /** A shortest path to the violation, as a counterexample file's content. */
  counterexample?: Counterexample;
}

/** The default memory cap: three quarters of the V8 heap limit, so the search ends with a report rather than a crash. */
export const defaultMaxHeapBytes = (): number => Math.floor(getHeapStatistics().heap_size_limit * 0.75);

/** What `explore(options)` will search: the spec and how it was arrived at, without searching. */
export async function planExplore(
  options: ExploreOptions = {},
): Promise<{ spec: ExploreSpec; fromVariant: boolean; symmetryDropped: boolean; variant?: Variant; session: Session }> {
  const loaded = await resolveVariant(options.variant);
  const { spec: fromRequest, fromVariant } = resolveSpec(loaded, requestOf(options));
  const { interpreter } = options;
  const resolved = interpreter === undefined || interpreter === 'compiled' ? fromRequest : { ...fromRequest, interpreter };
  // Symmetry and goals, the only pieces the spec changes below, are not part of the session.
  const { session, variant } = specSession(resolved, loaded);
  // The explorer would drop it anyway; say so, and do not measure a reduction that cannot happen.
  const symmetryDropped = resolved.symmetry && !symmetryHolds(session.config);
  const spec: ExploreSpec = { ...resolved, ...(symmetryDropped && { symmetry: false }), goals: options.goals === true };
  return { spec, fromVariant, symmetryDropped, variant, session };
}

/** The instance and bounds of the options (the rest is how to run the search). */
function requestOf(options: ExploreOptions): ExploreRequest {
  const { variant, workers, onProgress, maxTime, maxStates, maxHeapBytes, measureReduction, goals, interpreter, ...request } = options;
  return request;
}

export async function explore(options: ExploreOptions = {}): Promise<ExploreReport> {
  const { workers = 1, onProgress, maxTime, maxStates, maxHeapBytes = defaultMaxHeapBytes(), measureReduction } = options;
  const { spec, fromVariant, symmetryDropped, variant, session } = await planExplore(options);
  const capped = { ...spec, maxStates, maxHeapBytes, ...(maxTime !== undefined && { deadline: Date.now() + maxTime * 1000 }) };
  const result = await exploreParallel(capped, workers, onProgress, variant);
  const without =
    measureReduction && spec.symmetry && !result.violation
      ? await exploreParallel({ ...spec, symmetry: false, coverage: false, liveness: false }, workers, undefined, variant)
      : undefined;
  const c = result.cut;
  return {
    ok: !result.violation,
    spec,
    fromVariant,
    symmetryDropped,
    result,
    complete: !result.stopped && !result.timedOut && !result.heapCapped && c.depth + c.inFlight + c.time === 0,
    statesWithoutSymmetry: without?.states,
    counterexample: result.violation && exploreCounterexample(session, variant, result.violation),
  };
}
