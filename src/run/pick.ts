import type { Choice, ChoiceKind } from '../world/types.ts';

// Turns a random number into one of the enabled choices. The low 16 bits pick a kind of
// choice by weight (so faults stay rarer than deliveries), the high bits pick which one.
// Shrinking a number towards 0 leans towards delivering the oldest message: FIFO.

export const choiceWeights: Record<ChoiceKind, number> = {
  deliver: 40,
  fire: 14,
  process: 6,
  drop: 3,
  resume: 3,
  commit: 3,
  metadata: 3,
  start: 2,
  close: 1,
  crash: 1,
  stall: 1,
  addPartition: 1,
  cut: 1,
  heal: 3,
  failover: 1,
  subscribe: 1,
  bounce: 6,
  callback: 6,
};

const kindOrder = Object.keys(choiceWeights) as ChoiceKind[];

/**
 * Swarm testing: each run switches some kinds of choice off entirely, so that a run without,
 * say, message loss and crashes can get deep into rebalances and commits. Deliveries, timers
 * and the healing choices are never switched off.
 */
export const swarmKinds: ChoiceKind[] = [
  'drop',
  'process',
  'commit',
  'metadata',
  'start',
  'close',
  'crash',
  'stall',
  'addPartition',
  'cut',
  'failover',
  'subscribe',
];
/** One more swarm bit: deliver the newest messages first, so that old ones linger (long delays). */
const NEWEST_FIRST = 1 << swarmKinds.length;
export const allKinds = (1 << swarmKinds.length) - 1;
export const swarmMax = (NEWEST_FIRST << 1) - 1;

/** `swarm` is a bit set over swarmKinds: bit i set = that kind may be chosen in this run. */
/** `weights`: the choice weights (steering rounds raise some; see src/random/steer.ts). */
export function pickChoice(choices: Choice[], pick: number, swarm = allKinds, weights = choiceWeights): Choice {
  // Weighted over the kinds present (and allowed by the swarm), then uniform within the kind.
  let total = 0;
  const present = kindsPresent(choices, swarm);
  if (present.size === 0) return pickChoice(choices, pick, allKinds, weights);
  for (const k of kindOrder) if (present.has(k)) total += weights[k];
  let u = (pick & 0xffff) % total;
  for (const k of kindOrder) {
    if (!present.has(k)) continue;
    if (u < weights[k]) {
      const list = choices.filter((c) => c.kind === k);
      if (k === 'deliver' && (swarm & NEWEST_FIRST) !== 0) return list[list.length - 1 - ((pick >>> 16) % Math.min(list.length, 2))];
      return list[(pick >>> 16) % list.length];
    }
    u -= weights[k];
  }
  throw new Error('unreachable: weights exhausted');
}

function kindsPresent(choices: Choice[], swarm: number): Set<ChoiceKind> {
  const present = new Set<ChoiceKind>();
  for (const c of choices) present.add(c.kind);
  if ((swarm & allKinds) !== allKinds) for (let i = 0; i < swarmKinds.length; i++) if (!(swarm & (1 << i))) present.delete(swarmKinds[i]);
  return present;
}
