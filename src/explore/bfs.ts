import type { Invariant } from '../../properties/invariant.ts';
import { familyOf, type Choice, type World, type WorldConfig } from '../world/types.ts';
import { memoModel } from './memo.ts';
import { enabled, initialWorld, step } from '../world/world.ts';
import { budgetIndex, budgetedKinds, delayBoundHoldsTimers, withinBudget, type Bounds } from './bounds.ts';
import { fairHash, lastStateHashHigh, stateHash, stateHashes } from './canonical.ts';
import { LivenessChecker, type FairStep } from './liveness.ts';
import { FingerprintSet } from './store.ts';
import { settleBoundMs } from '../world/quiesce.ts';
import type { Session, Violation } from '../run/run.ts';
import { interrupted, pastDeadline } from '../core/control.ts';

// Exhaustive breadth-first exploration of the world within bounds, through the same
// `enabled`/`step` and the same invariants as random checking and replay. Every transition
// is checked (invariants judge a step, not a state), but a state rule (`judges: 'state'`, or an
// invariant's `split.state`: a function of the world after the step, up to the state key) only
// on the first transition into each distinct state; every newly reached state is then expanded,
// and, with liveness on, checked to settle once faults stop. BFS order makes the first
// violation found a shortest one.

export interface ExploreOptions {
  symmetry: boolean;
  liveness: boolean;
  /** Explore only the first-level subtrees whose state fingerprint falls in this shard (index from 0). */
  shard?: { index: number; count: number };
  /** Called about every `progressMs` with the running figures. */
  onProgress?: (p: Progress) => void;
  progressMs?: number;
  /** Called on every transition (coverage); off by default to keep the loop lean. */
  observe?: (before: World, choice: Choice, after: World) => void;
  /** Keep the fingerprints (to merge shards, or to compare runs in tests). */
  keepFingerprints?: boolean;
  /** Give up after this many distinct states (the result says `stopped`). */
  maxStates?: number;
  /** Give up when the heap passes this many bytes (the result says `heapCapped`); polled with the deadline. */
  maxHeapBytes?: number;
  /**
   * Split the checking between threads that all walk the same graph: this one checks only the
   * states whose fingerprint falls in its share (the invariants on the steps out of them, the
   * liveness walk from them). Expansion is repeated; the checks, most of the cost, are not.
   */
  checkShare?: { index: number; count: number };
  /** Reuse machine transitions met before (default on; off only to measure what it saves). */
  memo?: boolean;
  /**
   * Judge a state's own rules (`judges: 'state'`, `split.state`) only on the first transition
   * into it (default on; off only to measure what it saves).
   */
  stateRulesOnce?: boolean;
  /**
   * Wall-clock deadline (epoch ms, so that worker threads share it): the search stops there and
   * the result says `timedOut`. What was explored before it is as without it.
   */
  deadline?: number;
  /** Stop at this position in the search order (another thread found a violation there); polled. */
  stopAt?: () => number;
}

export interface Progress {
  states: number;
  transitions: number;
  queue: number;
  depth: number;
  seconds: number;
}

export interface ExploreResult {
  states: number;
  transitions: number;
  /** Greatest depth (shortest-path length) of any state reached. */
  diameter: number;
  seconds: number;
  /** Peak heap during the search, in bytes. */
  heapBytes: number;
  /**
   * Bytes of the state store at the end: the fingerprint table, the parent links that rebuild
   * a path, and the liveness memo (what Spin's "memory usage for states" counts; worlds are
   * kept only in the frontier).
   */
  storeBytes: number;
  /** Successors cut off by each bound: nothing cut off means the space within the budgets was exhausted. */
  cut: { depth: number; inFlight: number; time: number; delay: number };
  /** A shortest path to a violated invariant, by concrete choices from the initial world. */
  violation?: Violation & { path: Choice[]; lasso?: { stem: Choice[]; cycle: Choice[] } };
  liveness?: { walks: number; steps: number };
  fingerprints?: Float64Array;
  /** The search gave up at `maxStates` before the bounds were exhausted. */
  stopped?: boolean;
  /** Where in the search order the violation was met (2 x transition, +1 for a liveness walk): the earliest is what one thread finds. */
  violationAt?: number;
  /** Stopped at the wall-clock deadline before the bounds were exhausted. */
  timedOut?: boolean;
  /** Stopped at the memory cap (`maxHeapBytes`) before the bounds were exhausted. */
  heapCapped?: boolean;
  /** Stopped because `stopAt` said another thread had found an earlier violation. */
  cancelled?: boolean;
}

interface Node {
  world: World;
  used: Uint8Array;
  id: number;
  depth: number;
  hash: number;
  /** The 11 bits of the 64-bit fingerprint above `hash`'s 53. */
  high: number;
  /**
   * The first fair step out of this state, taken by the liveness check when the state was
   * reached, with the successor's fingerprint: its expansion reuses it instead of stepping
   * and hashing again (that first fair step is an edge of the explored graph).
   */
  fair?: { choice: Choice; world: World; hash: number; high: number };
}

/** Growable Int32Array for per-state parent links. */
class IntList {
  data = new Int32Array(1 << 10);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export function explore(session: Session, bounds: Bounds, opts: ExploreOptions): ExploreResult {
  const { config } = session;
  const memo = opts.memo === false ? undefined : memoModel(session.model);
  const model = memo ?? session.model;
  const safety: Invariant[] = session.invariants.filter((i) => i.kind === 'safety');
  // On a transition into a state already reached, its state rules were judged (and passed) on the
  // first transition into it, by whichever thread owns that one (a violation there comes earlier
  // in the search order): only the step rules are left.
  const stepRules: Invariant[] = safety.filter((i) => i.judges !== 'state');
  const rulesOnce = opts.stateRulesOnce !== false;
  // The liveness invariants that bound the time to settle, tightest first: a walk's time is held to each.
  const liveness = opts.liveness
    ? session.invariants
        .filter((i) => i.kind === 'liveness')
        .map((inv) => ({ inv, bound: inv.settleBoundMs?.(config) ?? settleBoundMs(config) }))
        .sort((a, b) => a.bound - b.bound)
    : [];
  // A bound on virtual time needs the clock in the key, or a state first met late would hide its earlier twin.
  const maxDelay = bounds.maxDelayMs ?? Infinity;
  const keyOpts = {
    symmetry: opts.symmetry && symmetryHolds(config),
    ordered: false,
    absoluteTime: Number.isFinite(bounds.maxTimeMs),
    // With bounded delays a message's age decides whether time may pass, so it is part of the state.
    messageAge: Number.isFinite(maxDelay),
  };
  const checker =
    liveness.length > 0 ? new LivenessChecker(config, model, (w) => fairHash(w, keyOpts.messageAge), liveness[0].bound) : undefined;
  const seen = new FingerprintSet();
  const parent = new IntList();
  const via = new IntList(); // index of the choice among the parent's enabled choices
  // A node's budget counts are shared with its successors until one spends a budget.
  const prefixes = new WeakMap<Uint8Array, string>();
  const prefixOf = (used: Uint8Array): string => {
    let p = prefixes.get(used);
    if (p === undefined) prefixes.set(used, (p = used.join(',')));
    return p;
  };
  const hashOf = (w: World, used: Uint8Array) => stateHash(w, keyOpts, prefixOf(used));
  /**
   * The first fair step out of a state the liveness check walks from, when it is also a step
   * the explorer takes from it (no fault to heal first, within the budgets): it is taken once,
   * and the successor hashed once for both (its fair key and its fingerprint as a state).
   */
  const firstFairStep = (n: Node, choice: Choice): FairStep | undefined => {
    if (budgetIndex(choice.kind) !== undefined) return undefined;
    const world = step(n.world, choice, config, model);
    // A state at the depth bound is not expanded: only its fair key is needed.
    if (n.depth >= bounds.maxDepth) return { choice, world, key: fairHash(world, keyOpts.messageAge) };
    const [hash, key] = stateHashes(world, keyOpts, prefixOf(n.used));
    n.fair = { choice, world, hash, high: lastStateHashHigh() };
    return { choice, world, key };
  };
  const started = performance.now();
  let heap = 0;
  const cut = { depth: 0, inFlight: 0, time: 0, delay: 0 };
  let transitions = 0;
  let diameter = 0;

  const choicesOf = (n: Node, expanding = false) => {
    const all = withinBudget(enabled(n.world, config), n.used, bounds.budgets);
    if (!delayBoundHoldsTimers(n.world, maxDelay)) return all;
    if (expanding) cut.delay++;
    return all.filter((c) => c.kind !== 'fire');
  };
  const pathTo = (id: number, last?: number): Choice[] => {
    const idx: number[] = last === undefined ? [] : [last];
    for (let i = id; parent.data[i] >= 0; i = parent.data[i]) idx.push(via.data[i]);
    idx.reverse();
    let n: Node = { world: initialWorld(config, model), used: new Uint8Array(budgetedKinds.length), id: 0, depth: 0, hash: 0, high: 0 };
    const out: Choice[] = [];
    for (const i of idx) {
      const c = choicesOf(n)[i];
      out.push(c);
      n = { ...n, world: step(n.world, c, config, model), used: spend(n.used, c) };
    }
    return out;
  };
  const share = opts.checkShare;
  const owns = (h: number) => !share || h % share.count === share.index;
  const stopAt = opts.stopAt ?? (() => Infinity);
  const result = (violation?: ExploreResult['violation'], violationAt?: number): ExploreResult => ({
    states: seen.size,
    transitions,
    diameter,
    seconds: (performance.now() - started) / 1000,
    heapBytes: Math.max(heap, process.memoryUsage().heapUsed),
    storeBytes: seen.bytes + parent.data.byteLength + via.data.byteLength + (checker?.bytes ?? 0),
    cut,
    violation,
    liveness: checker && { walks: checker.walks, steps: checker.walkSteps },
    fingerprints: opts.keepFingerprints ? seen.values() : undefined,
    violationAt: violation ? violationAt : undefined,
  });
  /** Runs the liveness check on a newly reached state; a violation if it fails. */
  const fairEnd = (w: World, steps: Choice[]): World => steps.reduce((x, c) => step(x, c, config, model), w);
  const firstFailing = <L extends { inv: Invariant }>(ls: L[], w: World): L | undefined =>
    ls.find((l) => l.inv.check(w, null, w, config) !== undefined);
  const live = (n: Node): ExploreResult['violation'] | undefined => {
    if (!checker) return undefined;
    const o = checker.check(n.world, (choice) => firstFairStep(n, choice));
    if (o.kind === 'settles') return undefined;
    const path = pathTo(n.id);
    // A group that never settles breaks the loosest bound (eventually-stable); a slow one, the
    // loosest bound it exceeds.
    const slow = o.kind === 'slow' && !o.unsettled ? o.ms : Number.POSITIVE_INFINITY;
    const exceeded = liveness.filter((l) => l.bound < slow);
    const loosest = exceeded.length > 0 ? exceeded[exceeded.length - 1].bound : liveness[liveness.length - 1].bound;
    // Among invariants with that bound, the first in the list, or, for a group that never
    // settles, the first that fails where the fair schedule goes (the one replay reports: a
    // member may reach its target while the group still never settles).
    const tied = liveness.filter((l) => l.bound === loosest);
    const { inv, bound } = (o.kind === 'cycle' && tied.length > 1 && firstFailing(tied, fairEnd(n.world, o.stem))) || tied[0];
    const message =
      o.kind === 'cycle'
        ? o.cycle.length > 0
          ? `once faults stop the fair schedule cycles through ${o.cycle.length} steps without the group becoming stable (a lasso: ${path.length} steps, then ${o.stem.length} fair steps, then the cycle)`
          : `once faults stop the fair schedule reaches, after ${o.stem.length} steps, a state where nothing more can happen and the group is not stable (a dead end: it stays so forever)`
        : (inv.check(n.world, null, { ...n.world, now: n.world.now + o.ms }, config) ??
          `the group took ${o.ms} ms to settle after faults stopped (bound ${bound} ms)`);
    return {
      invariant: inv.id,
      statement: inv.statement,
      message,
      step: path.length,
      choice: null,
      path,
      lasso: o.kind === 'cycle' ? { stem: o.stem, cycle: o.cycle } : undefined,
    };
  };

  const rootWorld = initialWorld(config, model);
  const rootUsed = new Uint8Array(budgetedKinds.length);
  const root: Node = { world: rootWorld, used: rootUsed, id: 0, depth: 0, hash: hashOf(rootWorld, rootUsed), high: lastStateHashHigh() };
  seen.add(root.hash, root.high);
  parent.push(-1);
  via.push(0);
  const rootViolation = owns(root.hash) ? live(root) : undefined;
  if (rootViolation) return result(rootViolation, 1);
  let queue: Node[] = [root];
  let lastProgress = started;
  for (let depth = 0; queue.length > 0; depth++) {
    // Forget transitions not used in this level or the last: keeps the cache from growing with
    // the graph (a third less heap) for about a fifth more machine transitions.
    memo?.age();
    const next: Node[] = [];
    for (let qi = 0; qi < queue.length; qi++) {
      const n = queue[qi];
      if (n.depth >= bounds.maxDepth) {
        cut.depth++;
        continue;
      }
      const choices = choicesOf(n, true);
      const mine = owns(n.hash);
      const fair = n.fair;
      n.fair = undefined;
      for (let ci = 0; ci < choices.length; ci++) {
        const c = choices[ci];
        const reuse = fair !== undefined && sameChoice(c, fair.choice);
        const after = reuse ? fair.world : step(n.world, c, config, model);
        transitions++;
        if (2 * transitions >= stopAt()) return { ...result(), cancelled: true };
        // Ctrl-C (a shared cell, cheap to read) is polled more often than the clock: with liveness
        // walks 1,024 transitions can take seconds.
        if ((transitions & 15) === 0 && interrupted()) return { ...result(), timedOut: true };
        // Polled every 1,024 transitions: a clock read per transition would cost more than a check.
        if ((transitions & 1023) === 0) {
          // Ctrl-C under the supervisor (src/cli/supervise.ts) stops the search as the deadline does.
          if (pastDeadline(opts.deadline)) return { ...result(), timedOut: true };
          if (opts.maxHeapBytes !== undefined && process.memoryUsage().heapUsed >= opts.maxHeapBytes)
            return { ...result(), heapCapped: true };
        }
        const cutOff = after.net.length > bounds.maxInFlight ? 'inFlight' : after.now > bounds.maxTimeMs ? 'time' : undefined;
        // The successor's fingerprint comes before the checks: they depend on whether it was
        // reached before. (A cut-off successor is never stored, so it is never reached before.)
        const used = cutOff ? n.used : spend(n.used, c);
        let h = 0;
        let high = 0;
        if (reuse) ({ hash: h, high } = fair);
        else if (!cutOff) {
          h = hashOf(after, used);
          high = lastStateHashHigh();
        }
        const known = !cutOff && seen.has(h, high);
        // The root is stored without a check: a transition back into it is judged in full.
        const judged = rulesOnce && known && !(h === root.hash && high === root.high);
        if (mine) {
          opts.observe?.(n.world, c, after);
          const invs = judged ? stepRules : safety;
          for (let ii = 0; ii < invs.length; ii++) {
            const inv = invs[ii];
            const message = judged && inv.split ? inv.split.step(n.world, c, after, config) : inv.check(n.world, c, after, config);
            if (message)
              return result(
                { invariant: inv.id, statement: inv.statement, message, step: n.depth, choice: c, path: pathTo(n.id, ci) },
                2 * transitions,
              );
          }
        }
        if (cutOff) {
          cut[cutOff]++;
          continue;
        }
        if (known || (depth === 0 && opts.shard && h % opts.shard.count !== opts.shard.index)) continue;
        // Nothing was stored since `known` was looked up (the checks store nothing): it is new.
        seen.add(h, high);
        const child: Node = { world: after, used, id: parent.length, depth: n.depth + 1, hash: h, high };
        parent.push(n.id);
        via.push(ci);
        diameter = Math.max(diameter, child.depth);
        const v = owns(h) ? live(child) : undefined;
        if (v) return result(v, 2 * transitions + 1);
        next.push(child);
        if (opts.maxStates !== undefined && seen.size >= opts.maxStates) return { ...result(), stopped: true };
      }
      if (opts.onProgress) {
        const now = performance.now();
        if (now - lastProgress >= (opts.progressMs ?? 1000)) {
          lastProgress = now;
          heap = Math.max(heap, process.memoryUsage().heapUsed);
          opts.onProgress({
            states: seen.size,
            transitions,
            queue: queue.length - qi - 1 + next.length,
            depth,
            seconds: (now - started) / 1000,
          });
        }
      }
    }
    heap = Math.max(heap, process.memoryUsage().heapUsed);
    queue = next;
  }
  return result();
}

/**
 * Renaming the clients maps behaviours to behaviours only if nothing orders members by the
 * client's name. Classic dynamic member ids put the coordinator's join number first
 * (dynamicMemberId), so their order does not depend on the client. Static members are ordered
 * by group.instance.id (Kafka's assignor order), and a KIP-848 member's id is the client's own
 * (`c1-1`, standing in for its UUID) and the server assignors sort by it: no symmetry then.
 * (Numbering KIP-848 ids by start order instead would be symmetric but merge nothing: the
 * processes start in slot order, so a state and its mirror image are never both reachable.)
 * With racks (KIP-881) each slot has its own client.rack, so slots are not interchangeable.
 */
export const symmetryHolds = (config: WorldConfig): boolean =>
  !config.static && familyOf(config.protocol) === 'classic' && !(config.racks && config.racks > 0);

function spend(used: Uint8Array, c: Choice): Uint8Array {
  const i = budgetIndex(c.kind);
  if (i === undefined) return used;
  const out = used.slice();
  out[i]++;
  return out;
}

/** The same choice (every field of `b`, a fair choice, equal in `a`). */
function sameChoice(a: Choice, b: Choice): boolean {
  if (a.kind !== b.kind) return false;
  for (const k in b) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}
