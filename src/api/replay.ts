// `replay(file | counterexample)`: re-executes a counterexample with every invariant on.
import { UsageError } from '../core/errors.ts';
import { CounterexampleError, readCounterexample, type Counterexample } from '../replay/counterexample.ts';
import { replayStored } from '../replay/replay.ts';
import { timeline, type TimelineRow } from '../replay/timeline.ts';
import { session } from '../run/config.ts';
import type { Violation } from '../run/run.ts';
import { findVariant } from '../variants/catalogue.ts';
import { isVariantPath, loadVariant } from '../variants/load.ts';

export interface ReplayReport {
  counterexample: Counterexample;
  /** The violation as it happens now; absent when the steps hold every invariant (a fixed bug). */
  violation?: Violation;
  /** The same violation (invariant and step) as the file recorded. */
  reproduces: boolean;
  /** One row per step: the choice, the virtual time, every process's state after it. */
  rows: TimelineRow[];
  /** How many of the file's steps were replayed (all of them, unless a violation came first). */
  steps: number;
}

/** A path or a counterexample object. A file that cannot be used throws a `UsageError` naming the problem. */
export async function replay(from: string | Counterexample): Promise<ReplayReport> {
  const name = typeof from === 'string' ? from : 'counterexample';
  try {
    const cx = typeof from === 'string' ? readCounterexample(from) : from;
    // A catalogue name, or the path of a user's variant file (relative to the working directory).
    if (cx.variant !== null && !isVariantPath(cx.variant) && !findVariant(cx.variant))
      throw new CounterexampleError(`${name}: unknown variant "${cx.variant}"`);
    const variant =
      cx.variant === null
        ? undefined
        : await loadVariant(cx.variant).catch((e: Error) => {
            throw new CounterexampleError(`${name}: ${e.message}`);
          });
    const s = session(cx.config, variant);
    const { result, choices } = replayStored(s, cx.choices, name);
    const v = result.violation;
    return {
      counterexample: cx,
      violation: v,
      reproduces: v !== undefined && v.invariant === cx.violation.invariant && v.step === cx.violation.step,
      rows: timeline(s, choices),
      steps: choices.length,
    };
  } catch (e) {
    if (e instanceof CounterexampleError) throw new UsageError(e.message);
    throw e;
  }
}
