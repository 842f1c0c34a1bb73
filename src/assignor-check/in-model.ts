import type { Assignor } from '../../models/assignors/types.ts';
import { campaign } from '../random/campaign.ts';
import { allFaults, session, worldConfig } from '../run/config.ts';
import { defineVariant } from '../variants/variant.ts';
import { timeline, type TimelineRow } from '../replay/timeline.ts';
import { assignVia, CallFailed } from './guard.ts';
import type { AssignorMeta, Callee } from './types.ts';

/** The protocol name the checked assignor runs under, so it cannot be mistaken for a built-in. */
export const underCheck = 'assignor-under-check';

export interface InModelResult {
  runs: number;
  steps: number;
  /** The first invariant violated, with the timeline of the shrunk run. */
  violation?: { invariant: string; statement: string; message: string; step: number; liveness: boolean; rows: TimelineRow[] };
  /** assign failed inside the model (threw, timed out, bad shape). */
  callFailed?: string;
}

/** The shape of the group the campaign runs: every member subscribed to every topic. */
export const inModelShape = { members: 3, topics: 2, partitions: 3 };

/**
 * A short campaign of the protocol model with the assignor under check as the leader's
 * assignor, under the COOPERATIVE protocol with every fault and the cooperative invariants
 * (single owner, no direct transfer, revoke before assign, eventual stability, ...).
 */
export function runInModel(callee: Callee, meta: AssignorMeta, opts: { runs: number; seed: number; maxSteps?: number }): InModelResult {
  const assignor: Assignor = { name: underCheck, supportedProtocols: meta.supportedProtocols, assign: assignVia(callee) };
  const variant = defineVariant({
    name: underCheck,
    description: `the assignor ${meta.name}`,
    breaks: [],
    assignors: { [underCheck]: assignor },
  });
  const config = worldConfig({ protocol: 'cooperative', assignor: underCheck, ...inModelShape, faults: allFaults, variant });
  const s = session(config, variant);
  try {
    const r = campaign(s, { runs: opts.runs, seed: opts.seed, maxSteps: opts.maxSteps ?? 60 });
    if (!r.failure) return { runs: r.runs, steps: r.steps };
    const v = r.failure.violation;
    const rows = timeline(s, r.failure.choices);
    return {
      runs: r.runs,
      steps: r.steps,
      violation: { invariant: v.invariant, statement: v.statement, message: v.message, step: v.step, liveness: v.choice === null, rows },
    };
  } catch (e) {
    if (e instanceof CallFailed) return { runs: 0, steps: 0, callFailed: e.message };
    throw e;
  }
}
