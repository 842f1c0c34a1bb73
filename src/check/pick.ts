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
};

const kindOrder = Object.keys(choiceWeights) as ChoiceKind[];

export function pickChoice(choices: Choice[], pick: number): Choice {
  const byKind = new Map<ChoiceKind, Choice[]>();
  for (const c of choices) {
    const list = byKind.get(c.kind);
    if (list) list.push(c);
    else byKind.set(c.kind, [c]);
  }
  let total = 0;
  for (const k of kindOrder) if (byKind.has(k)) total += choiceWeights[k];
  let u = (pick & 0xffff) % total;
  for (const k of kindOrder) {
    const list = byKind.get(k);
    if (!list) continue;
    if (u < choiceWeights[k]) return list[(pick >>> 16) % list.length];
    u -= choiceWeights[k];
  }
  throw new Error('unreachable: weights exhausted');
}
