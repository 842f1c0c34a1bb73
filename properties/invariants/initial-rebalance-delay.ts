import type { Invariant } from '../invariant.ts';
import { coord, coordState } from '../../src/world/view.ts';
import { groupRebalanceTimeout } from '../../models/classic/coordinator-state.ts';
import type { Choice, World } from '../../src/world/types.ts';

// KIP-134, group.initial.rebalance.delay.ms, as Kafka's GroupMetadataManager runs it
// (prepareRebalance from Empty, tryCompleteInitialRebalanceElseSchedule):
//
// - A join phase that starts from Empty waits delayMs = group.initial.rebalance.delay.ms, with
//   remainingMs = max(rebalanceTimeout - delayMs, 0) (the group's rebalance timeout when the
//   phase starts), and never completes early, even when every member has joined.
// - When the delay expires: if a member was added since the phase began or since the last
//   extension (newMemberAdded) and remainingMs != 0, the phase is extended by
//   min(delayMs, remainingMs) and remainingMs becomes max(remainingMs - delay, 0); otherwise the
//   join phase completes (or, with no member rejoined at all, waits like any other:
//   completeClassicGroupJoin).
//
// The oracle runs Kafka's rule beside the model: it follows the phase from the step that starts
// it and predicts when the join operation is due, step by step. It remembers the phase per world
// (a WeakMap keyed by the world a step produced), so it judges the phases whose start it saw:
// every one in a random run and its replay; in explore, those along the paths the search stored
// (a state first reached by another path carries that path's phase). Deterministic either way.

interface Phase {
  /** The delay of the pending expiry (delayMs of the scheduled operation). */
  delay: number;
  remaining: number;
  /** newMemberAdded. */
  added: boolean;
  /** When the join operation is due. */
  due: number;
}

/**
 * Only worlds inside a phase have an entry. "No phase" was once stored too, as null, for every
 * world after the first phase ended (a WeakMap entry made at nearly every step of a run); but a
 * world with no entry and one with a null entry read the same (`!prev`: no phase to follow), so
 * no entry says it. A step makes a new world, so `after` has no entry unless the same step is
 * judged again, with the same outcome: dropping one on a null outcome is all that storing null did.
 */
const phases = new WeakMap<World, Phase>();

/** A member id that is new in this step and not a static member's new incarnation (which Kafka does not count). */
function memberAdded(before: World, after: World): boolean {
  const b = coord(before).members;
  const a = coord(after).members;
  return Object.values(a).some(
    (m) => !b[m.memberId] && (m.instanceId === null || !Object.values(b).some((o) => o.instanceId === m.instanceId && !a[o.memberId])),
  );
}

/** The join timer, for messages (a function made once: one made per call costs more than the check). */
const dueAt = (t: number | undefined, now: number) => (t === undefined ? 'no join timer' : `its join timer due in ${t - now} ms`);

function follow(before: World, choice: Choice | null, after: World): { next: Phase | null | undefined; error?: string } {
  if (before.family !== 'classic' || after.family !== 'classic' || before.coordinatorEpoch !== after.coordinatorEpoch)
    return { next: null };
  const sb = coordState(before);
  const sa = coordState(after);
  const g = coord(after);
  const join = g.timers.join;
  if (sb === 'Empty' && sa === 'PreparingRebalance') {
    const delay = g.initialRebalanceDelayMs;
    const phase = { delay, remaining: Math.max(groupRebalanceTimeout(g) - delay, 0), added: false, due: after.now + delay };
    if (join !== phase.due)
      return {
        next: null,
        error: `the initial rebalance started with ${dueAt(join, after.now)}; Kafka waits group.initial.rebalance.delay.ms (${delay} ms)`,
      };
    return { next: phase };
  }
  const prev = phases.get(before);
  if (!prev || sb !== 'PreparingRebalance') return { next: prev === undefined ? undefined : null };
  const fired = choice?.kind === 'fire' && choice.target === 'coordinator' && choice.timer === 'join';
  if (!fired) {
    if (sa !== 'PreparingRebalance')
      return { next: null, error: `the initial rebalance completed in ${sa} before its delay expired (Kafka never completes it early)` };
    if (join !== prev.due)
      return { next: null, error: `during the initial rebalance ${dueAt(join, after.now)}, not in ${prev.due - after.now} ms as before` };
    return { next: { ...prev, added: prev.added || memberAdded(before, after) } };
  }
  if (prev.added && prev.remaining !== 0) {
    const delay = Math.min(g.initialRebalanceDelayMs, prev.remaining);
    const phase = { delay, remaining: Math.max(prev.remaining - prev.delay, 0), added: false, due: after.now + delay };
    if (sa !== 'PreparingRebalance' || join !== phase.due)
      return {
        next: null,
        error: `the initial delay expired after a new member joined with ${prev.remaining} ms of the rebalance timeout left, and the group went to ${sa} with ${dueAt(join, after.now)}; Kafka extends the phase by ${delay} ms`,
      };
    return { next: phase };
  }
  // No member rejoined at all: Kafka waits a rebalance timeout more, an ordinary join phase.
  const nobodyRejoined = Object.values(g.members).every((m) => m.joinCorr === null) && Object.keys(g.members).length > 0;
  if (sa === 'PreparingRebalance' && !nobodyRejoined)
    return {
      next: null,
      error: `the initial delay expired ${prev.added ? 'with no rebalance time left' : 'with no new member since it was set'} and the join phase went on (${dueAt(join, after.now)}); Kafka completes it`,
    };
  return { next: null };
}

export const initialRebalanceDelay: Invariant = {
  id: 'initial-rebalance-delay',
  statement:
    "A classic join phase that starts from Empty waits group.initial.rebalance.delay.ms, never completes early, and is extended by the delay (at most to the rebalance timeout) exactly when a new member joined since it was set (KIP-134, Kafka's tryCompleteInitialRebalanceElseSchedule).",
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    const { next, error } = follow(before, choice, after);
    if (next) phases.set(after, next);
    else if (next === null) phases.delete(after);
    return error;
  },
};
