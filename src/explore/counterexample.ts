import type { Variant } from '../variants/variant.ts';
import { FORMAT, TOOL_VERSION, sizeOf, violationOf, type Counterexample } from '../replay/counterexample.ts';
import { storeChoices } from '../replay/replay.ts';
import type { ExploreResult } from './bfs.ts';
import type { Session } from '../run/run.ts';

/**
 * The explorer's shortest path as a counterexample file: the same format `check` writes, so
 * `replay` re-executes it (the path, then the fair schedule) and exits 1. A safety violation
 * happens at the last step of the path; a liveness one in the fair schedule after it.
 */
export function exploreCounterexample(
  session: Session,
  variant: Variant | undefined,
  violation: NonNullable<ExploreResult['violation']>,
): Counterexample {
  const { config } = session;
  const size = sizeOf(config, violation.path.length);
  return {
    format: FORMAT,
    tool: { name: 'rebalance-check', version: TOOL_VERSION },
    protocol: config.protocol,
    assignor: config.assignor,
    // A user's variant file is stored by path, so that replay can load it again.
    variant: variant?.source ?? variant?.name ?? null,
    config,
    seed: 0,
    choices: storeChoices(session, violation.path),
    violation: violationOf(violation),
    shrink: { before: size, after: size },
  };
}
