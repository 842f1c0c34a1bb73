import type { Invariant } from '../invariant.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import type { World } from '../../src/world/types.ts';
import { Passed, timerKey } from '../step-facts.ts';
import { memberTopics, REGEX_INTERVAL_TIMER, REGEX_TIMER, subscribedRegexes } from '../../models/consumer-protocol/regex.ts';

const passed = new Passed();

/**
 * The KIP-848 coordinator keeps no record of a member that is gone, and the records of the
 * members it has agree with their state. GroupMetadataManager.consumerGroupFenceMember (a leave,
 * a session or rebalance expiry) writes tombstones for the member's current assignment, target
 * assignment and subscription, recomputes the subscription metadata without it, and cancels
 * its timers (cancelTimers: session, rebalance, join, sync) and, as its last subscriber, its regex
 * resolution (a tombstone); a static replacement takes the old
 * record's place in one batch. Every heartbeat (re)schedules the session timeout; the rebalance
 * timeout runs exactly while a consumer-protocol member is UNREVOKED_PARTITIONS
 * (scheduleConsumerGroupRebalanceTimeout, else cancelConsumerGroupRebalanceTimeout).
 */
export const coordinatorRecords: Invariant = {
  id: 'coordinator-records',
  statement:
    'The coordinator keeps target assignments, timers and subscribed topics only for its members, a session timer for each, and a rebalance timer exactly for each member asked to revoke.',
  protocols: ['consumer'],
  kind: 'safety',
  judges: 'state',
  check(before, _choice, after, config) {
    // A function of the coordinator, the topics and the group's type: unchanged since a world
    // this invariant passed, it finds nothing again.
    if (passed.passed(before, config) && same(before, after)) return passed.note(after, config, undefined);
    return passed.note(after, config, records(after));
  },
};

const same = (before: World, after: World): boolean =>
  before.coordinator === after.coordinator && before.topics === after.topics && before.family === after.family;

/** What the coordinator's records get wrong, if anything. */
function records(after: World): string | undefined {
  if (after.family !== 'consumer' || after.coordinator.value !== 'active') return undefined;
  const g = groupOf(after);
  // for-in over the records (the order of Object.keys), not copies of their keys: this runs at every heartbeat.
  for (const id in g.target) if (!g.members[id]) return `the target assignment still has ${id}, which is not a member`;
  for (const name in g.timers) {
    // The group's scheduled regex resolution (an executor task: it may outlive the last member subscribed to a regex).
    if (name === REGEX_TIMER || name === REGEX_INTERVAL_TIMER) continue;
    const id = name.slice(name.indexOf(':') + 1);
    if (!g.members[id]) return `timer ${name} runs for ${id}, which is not a member`;
  }
  for (const id in g.members) {
    const m = g.members[id];
    if (g.timers[timerKey('session:', m.memberId)] === undefined) return `member ${m.memberId} has no session timer`;
    if (m.classic) continue;
    const revoking = m.pendingRevocation.length > 0;
    const armed = g.timers[timerKey('rebalance:', m.memberId)] !== undefined;
    if (revoking && !armed) return `member ${m.memberId} must revoke ${m.pendingRevocation.join(',')} but no rebalance timer runs`;
    if (!revoking && armed) return `a rebalance timer runs for ${m.memberId}, which has nothing to revoke`;
  }
  const regexes = subscribedRegexes(g.members);
  for (const r of Object.keys(g.resolvedRegexes ?? {}))
    if (!regexes.includes(r)) return `the resolution of regex ${r} is kept, but no member subscribes to it`;
  const subscribed = new Set(
    Object.values(g.members).flatMap((m) => memberTopics(m, g.resolvedRegexes).filter((t) => after.topics[t] !== undefined)),
  );
  for (const t of Object.keys(g.subscriptionMetadata))
    if (!subscribed.has(t)) return `the subscription metadata keeps topic ${t}, which no member subscribes to`;
  for (const t of subscribed)
    if (g.subscriptionMetadata[t] === undefined) return `topic ${t} is subscribed but not in the subscription metadata`;
  return undefined;
}
