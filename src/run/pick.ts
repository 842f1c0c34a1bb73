import type { Choice, ChoiceKind, World } from '../world/types.ts';
import { coordState, epochOf, groupEpoch, inCallback, isLive } from '../world/view.ts';

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
  replace: 1,
  // Enabled only while a leader's JoinGroup answer is in flight (a step or two per rebalance):
  // at weight 1 against 40 for deliveries they would almost never meet a leader round.
  assignorFails: 6,
  moveReplica: 1,
  slowAssignor: 6,
  createTopic: 1,
  expireOffsets: 1,
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
/**
 * Modes of a run, more swarm bits (each set in about half the runs, none when shrunk away):
 * - LONG: the run may be `longRunFactor` times longer, with faults that much rarer, so that it
 *   gets through several rebalances and a fault meets a group that has settled and moved on;
 * - OUTAGE (zombies): a stalled process resumes, and a cut link heals, only rarely until the
 *   group has moved on to a newer generation or epoch than the process acts in, and then soon
 *   (ten times as likely as otherwise): members come back with stale state, and commit more;
 * - BUSY: faults only while a join, sync, revocation or reconciliation is in progress (four
 *   times as likely then), where the protocol's corner cases are.
 * OUTAGE also delays requests past a rebalance (classic protocol, whose network may reorder a
 * client's requests): an OffsetCommit still in flight when a rebalance starts is held back until
 * the group has formed its next generation, and then delivered first, as a commit stuck in a
 * slow connection arrives after the rebalance it was sent before.
 */
export const LONG = NEWEST_FIRST << 1;
export const OUTAGE = NEWEST_FIRST << 2;
export const BUSY = NEWEST_FIRST << 3;
export const longRunFactor = 5;
export const allKinds = (1 << swarmKinds.length) - 1;
export const swarmMax = (BUSY << 1) - 1;

const faultKinds = new Set<ChoiceKind>([
  'drop',
  'close',
  'crash',
  'stall',
  'cut',
  'failover',
  'addPartition',
  'subscribe',
  'replace',
  'assignorFails',
  'moveReplica',
  'slowAssignor',
  'createTopic',
  'expireOffsets',
]);
const healingKinds = new Set<ChoiceKind>(['resume', 'heal']);
const none = new Set<string>();
/** Per kind, by its index in kindOrder: a fault, a healing choice; and each kind's index. */
const isFault = kindOrder.map((k) => faultKinds.has(k));
const isHealing = kindOrder.map((k) => healingKinds.has(k));
const indexOf = new Map(kindOrder.map((k, i) => [k, i]));
/** The kinds a swarm bit switches off, with the kinds switched with them, by index. */
const switchedOff = swarmKinds.map((k) => {
  // A replacement is a start that leaves the old process running: the same switch.
  // A failing assignor is a fault of the leader, switched with crashes.
  // A replica moving to another rack is a metadata change, switched with partition additions.
  // A slow assignor keeps the leader's application thread from poll(): switched with stalls.
  // A topic created is a metadata change too, switched with partition additions.
  // An offset cleanup is the coordinator's, switched with its failovers.
  const also: Partial<Record<ChoiceKind, ChoiceKind[]>> = {
    start: ['replace'],
    crash: ['assignorFails'],
    addPartition: ['moveReplica', 'createTopic'],
    stall: ['slowAssignor'],
    failover: ['expireOffsets'],
  };
  return [k, ...(also[k] ?? [])].map((x) => indexOf.get(x)!);
});

/** The swarm bits that switch these kinds of choice (or the kinds switched with them) on. */
export function swarmBitsOf(kinds: readonly ChoiceKind[]): number {
  let bits = 0;
  for (let i = 0; i < swarmKinds.length; i++) if (kinds.some((k) => switchedOff[i].includes(indexOf.get(k)!))) bits |= 1 << i;
  return bits;
}

/** What the modes read of the world: a rebalance in progress (BUSY), the processes the group has left behind (OUTAGE). */
interface Scene {
  busy: boolean;
  /** An application thread is inside a rebalance callback or a slow assignor (BUSY runs only). */
  callback: boolean;
  stale: Set<string>;
}

/** A kind's weight in this run's mode (`i` its index in kindOrder). */
function weightOf(i: number, swarm: number, scene: Scene, weights: Record<ChoiceKind, number>): number {
  let w = weights[kindOrder[i]];
  if (isFault[i]) {
    if (swarm & BUSY) w = scene.busy ? w * (scene.callback ? 16 : 4) : 0;
    if (swarm & LONG) w /= longRunFactor;
  }
  if (swarm & OUTAGE) {
    if (isHealing[i]) w = scene.stale.size > 0 ? w * 10 : w / 20;
    if (kindOrder[i] === 'commit') w *= 4;
  }
  return w;
}

/** Processes that have been members and act in an older generation or epoch than the group's (stalled or cut off, or not yet told). */
function leftBehind(w: World): Set<string> {
  const out = new Set<string>();
  const epoch = groupEpoch(w);
  for (const s of w.clients) if (isLive(s) && epochOf(s) > 0 && epochOf(s) < epoch) out.add(s.name);
  return out;
}

/** Classic coordinator states and client states of a rebalance in progress (either protocol). */
const settling = new Set(['PreparingRebalance', 'CompletingJoin', 'CompletingRebalance']);
const moving = new Set(['joining', 'syncing', 'revoking', 'committing', 'reconciling', 'acknowledging']);

/** A join, sync, revocation or reconciliation is in progress somewhere in the group. */
export function rebalancing(w: World): boolean {
  if (settling.has(coordState(w))) return true;
  return w.clients.some((s) => isLive(s) && moving.has(s.snapshot!.value as string));
}

/** pickChoice's weight of each kind present, by index in kindOrder (one array for every pick: it is filled and read within one). */
const kindWeights = new Float64Array(kindOrder.length);

/** `swarm` is a bit set over swarmKinds (bit i set = that kind may be chosen in this run), then the mode bits. */
/** `weights`: the choice weights (steering rounds raise some; see src/random/steer.ts). */
export function pickChoice(choices: Choice[], pick: number, swarm = allKinds, world?: World, weights = choiceWeights): Choice {
  if ((swarm & OUTAGE) !== 0 && world?.family === 'classic') {
    const late = lateCommits(world);
    // A commit sent before the group's current generation formed: delivered first.
    const first = choices.find((c) => c.kind === 'deliver' && late.released.has(c.id));
    if (first && (pick & 0xffff) < 0x8000) return first;
    if (late.held !== undefined) {
      const rest = choices.filter((c) => !(c.kind === 'deliver' && c.id === late.held));
      if (rest.length > 0) choices = rest;
    }
  }
  // Weighted over the kinds present (and allowed by the swarm), then uniform within the kind.
  const present = kindsPresent(choices, swarm);
  if (present === undefined) return pickChoice(choices, pick, allKinds, world, weights);
  const scene: Scene = {
    busy: (swarm & BUSY) !== 0 && world !== undefined && rebalancing(world),
    callback: (swarm & BUSY) !== 0 && world !== undefined && world.clients.some(inCallback),
    stale: (swarm & OUTAGE) !== 0 && world !== undefined ? leftBehind(world) : none,
  };
  // Each present kind's weight, worked out once (the same numbers summed in the same order).
  let total = 0;
  for (let i = 0; i < kindOrder.length; i++) if (present[i]) total += kindWeights[i] = weightOf(i, swarm, scene, weights);
  // Picks near 0 (where shrinking goes) choose the first kind: deliver, the oldest message.
  let u = ((pick & 0xffff) / 0x10000) * total;
  for (let i = 0; i < kindOrder.length; i++) {
    if (!present[i]) continue;
    const w = kindWeights[i];
    if (u < w) {
      const k = kindOrder[i];
      let list = choices.filter((c) => c.kind === k);
      // A zombie comes back: one the group has left behind.
      if (isHealing[i] && scene.stale.size > 0) {
        const back = list.filter((c) => scene.stale.has((c as { client: string }).client));
        if (back.length > 0) list = back;
      }
      if (k === 'deliver' && (swarm & NEWEST_FIRST) !== 0) return list[list.length - 1 - ((pick >>> 16) % Math.min(list.length, 2))];
      return list[(pick >>> 16) % list.length];
    }
    u -= w;
  }
  // Only kinds of weight 0 present (faults outside a rebalance in a BUSY run): any of them.
  return choices[(pick >>> 16) % choices.length];
}
/**
 * Classic OffsetCommits in flight: `held`, the oldest one sent in the current generation while a
 * rebalance is in progress (it waits for the next generation); `released`, those sent in an
 * earlier generation than the group's.
 */
function lateCommits(w: World): { held?: number; released: Set<number> } {
  const released = new Set<number>();
  let held: number | undefined;
  const inRebalance = settling.has(coordState(w));
  for (const m of w.net) {
    if (m.to !== 'coordinator' || m.body.kind !== 'OffsetCommit' || m.formation === null) continue;
    if (m.formation < w.formation) released.add(m.id);
    else if (inRebalance && held === undefined && m.formation === w.formation) held = m.id;
  }
  return { held, released };
}

/** Which kinds are present among the choices and allowed by the swarm, by index in kindOrder; undefined if none. */
function kindsPresent(choices: Choice[], swarm: number): Uint8Array | undefined {
  // One array for every pick, filled here and read within the same pick (as kindWeights).
  const present = presentKinds.fill(0);
  for (const c of choices) present[indexOf.get(c.kind)!] = 1;
  if ((swarm & allKinds) !== allKinds)
    for (let i = 0; i < swarmKinds.length; i++) if (!(swarm & (1 << i))) for (const k of switchedOff[i]) present[k] = 0;
  return present.includes(1) ? present : undefined;
}
const presentKinds = new Uint8Array(kindOrder.length);
