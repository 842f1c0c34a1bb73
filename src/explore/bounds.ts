import type { Model } from '../world/model.ts';
import type { Choice, ChoiceKind, FaultSettings, World, WorldConfig } from '../world/types.ts';
import { nextDeadline } from '../world/view.ts';
import { initialWorld, linkCut, step } from '../world/world.ts';
import { noFaults } from '../world/faults.ts';

// Explorer-only bounds. The world is unchanged: the explorer offers a budgeted kind of choice
// only while its count along the path is under the budget, and carries the counts in the
// search node (they are part of the node's identity: the same world with more crashes left
// has more futures).

export { budgetedKinds, type BudgetedKind, type Budgets } from '../core/explore-settings.ts';
import { budgetedKinds, type Budgets } from '../core/explore-settings.ts';

export const noBudgets: Budgets = Object.fromEntries(budgetedKinds.map((k) => [k, 0])) as Budgets;

export interface Bounds {
  budgets: Budgets;
  /** Do not expand states at this depth (steps from the initial world). */
  maxDepth: number;
  /** Successors with more messages in flight are cut off. */
  maxInFlight: number;
  /** Successors whose clock passed this many virtual ms are cut off (measured on the path that first reached them). */
  maxTimeMs: number;
  /**
   * A bounded-delay network: no timer fires while a deliverable message has been in flight
   * longer than this (virtual ms). Unbounded delay lets timers fire without end while a message
   * waits, so the space is infinite; with a bound below the request and session timeouts,
   * timeouts come only from budgeted faults (a drop, a crash, a stall), and small instances can
   * be explored completely. Messages on a cut link are exempt (they wait for the heal). A
   * rebalance callback counts like a message: it returns within the bound (a callback slower
   * than max.poll.interval.ms is then the work of a budgeted stall), unless its link is cut.
   */
  maxDelayMs?: number;
}

const index = new Map<ChoiceKind, number>(budgetedKinds.map((k, i) => [k, i]));
export const budgetIndex = (kind: ChoiceKind): number | undefined => index.get(kind);

/** The world's fault settings that offer every budgeted fault at all. */
export function faultsFor(budgets: Budgets): FaultSettings {
  return {
    ...noFaults,
    loss: budgets.drop > 0,
    crash: budgets.crash > 0,
    leave: budgets.close > 0,
    stall: budgets.stall > 0,
    cut: budgets.cut > 0,
    addPartitions: budgets.addPartition,
    failover: budgets.failover,
    subscribe: budgets.subscribe > 0,
    zombie: budgets.replace > 0,
    assignorFailure: budgets.assignorFails > 0,
    replicaMoves: budgets.moveReplica,
    slowAssignor: budgets.slowAssignor > 0,
    createTopics: budgets.createTopic,
    offsetExpiries: budgets.expireOffsets,
  };
}

/** Choices within budget, given the counts used so far (indexed like budgetedKinds). */
export function withinBudget(choices: Choice[], used: ArrayLike<number>, budgets: Budgets): Choice[] {
  return choices.filter((c) => {
    const i = index.get(c.kind);
    return i === undefined || used[i] < budgets[budgetedKinds[i]];
  });
}

/** Firing the next timer would leave a deliverable message in flight longer than `maxDelayMs`. */
export function delayBoundHoldsTimers(w: World, maxDelayMs: number): boolean {
  if (!Number.isFinite(maxDelayMs)) return false;
  let oldest = Infinity;
  for (const m of w.net) {
    if (m.sentAt < oldest && !linkCut(w, m)) oldest = m.sentAt;
  }
  for (const s of w.clients) if (s.callbackSince !== null && s.callbackSince < oldest && !s.cut) oldest = s.callbackSince;
  return oldest !== Infinity && nextDeadline(w) - oldest > maxDelayMs;
}

/** The budgets a path uses: explore with these and the path is inside the explored space. */
export function budgetsOf(choices: readonly Choice[]): Budgets {
  const b = { ...noBudgets };
  for (const c of choices) {
    const i = index.get(c.kind);
    if (i !== undefined) b[budgetedKinds[i]]++;
  }
  return b;
}

/**
 * The tightest bounds that still contain a path: its fault budgets, its length as the depth and
 * its most messages in flight. Explored within them, a shortest violation is no longer than it.
 */
export function boundsOfPath(config: WorldConfig, model: Model, path: readonly Choice[]): Bounds {
  let w = initialWorld(config, model);
  let inFlight = w.net.length;
  for (const c of path) {
    w = step(w, c, config, model);
    inFlight = Math.max(inFlight, w.net.length);
  }
  return { budgets: budgetsOf(path), maxDepth: path.length, maxInFlight: inFlight, maxTimeMs: Infinity };
}

/** The world config to explore within `budgets`: only the budgeted faults are on. */
export const configFor = (config: WorldConfig, budgets: Budgets): WorldConfig => ({
  ...config,
  faults: { ...faultsFor(budgets), slowCallbacks: config.faults.slowCallbacks, slowAssignLost: config.faults.slowAssignLost },
});
