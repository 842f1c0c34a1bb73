import type { Invariant } from '../invariant.ts';
import { gained, sameProcesses } from '../step-facts.ts';
import { memberTopics } from '../../models/consumer-protocol/regex.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import { parseTp } from '../../models/types.ts';
import type { World } from '../../src/world/types.ts';
import { common, committedOffsets, coord, coordState } from '../../src/world/view.ts';

// Offset retention (docs/model.md, section 11; docs/oracles.md). Two judgements:
// - offsets-retained: a committed offset disappears only in an offset cleanup (`expireOffsets`),
//   and the cleanup deletes exactly the offsets Kafka's expiration condition lets go, those the
//   group no longer needs (KIP-211: a classic group only once Empty; KIP-496: a Stable one the
//   topics no member subscribes to; KIP-848: the topics the group does not subscribe to);
// - skip-only-on-reset: a consumer skips records nobody processed only by auto.offset.reset=latest
//   on a partition the group holds no committed offset for. Kafka documents that: records are
//   lost to the group when its offsets legitimately expired, or before its first commit. With
//   offsets-retained holding, a skip after an illegitimate expiry cannot happen unseen.

/** Why the group still needs the offsets of `topic` before the cleanup, or undefined if Kafka lets them expire. */
function stillNeeded(w: World, topic: string): string | undefined {
  if (w.family === 'consumer') {
    const g = w.coordinator.context as GroupContext;
    for (const m of Object.values(g.members))
      if (memberTopics(m, g.resolvedRegexes).includes(topic)) return `member ${m.memberId} of the consumer group subscribes to ${topic}`;
    return undefined;
  }
  const state = coordState(w);
  if (state === 'Empty') return undefined;
  if (state !== 'Stable') return `the classic group is ${state} (no offset expires during a rebalance)`;
  for (const m of Object.values(coord(w).members))
    if (m.subscription.topics.includes(topic)) return `the classic group is Stable and member ${m.memberId} subscribes to ${topic}`;
  return undefined;
}

/** What makes a group's offsets expirable, for messages. */
const groupWhy = (w: World): string =>
  w.family === 'consumer'
    ? 'no member subscribes to its topic'
    : `the classic group is ${coordState(w)} and no member subscribes to its topic`;

export const offsetsRetained: Invariant = {
  id: 'offsets-retained',
  statement:
    'A committed offset is deleted only by the offset cleanup, which deletes exactly those the group no longer needs: a classic group Empty, or no member subscribing to its topic (KIP-211, KIP-496).',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after) {
    // A conversion between group types is conversion-keeps-offsets's to judge.
    if (before.family !== after.family) return undefined;
    const now = committedOffsets(after);
    for (const [p, c] of Object.entries(committedOffsets(before))) {
      if (now[p] !== undefined) continue;
      if (choice?.kind !== 'expireOffsets') return `the committed offset ${c.offset} of ${p} was deleted outside an offset cleanup`;
      const needed = stillNeeded(before, parseTp(p).topic);
      if (needed !== undefined) return `the offset cleanup deleted the committed offset ${c.offset} of ${p} while ${needed}`;
    }
    // The cleanup ran after the retention period: what the group no longer needs is gone.
    if (choice?.kind === 'expireOffsets')
      for (const [p, c] of Object.entries(now))
        if (stillNeeded(before, parseTp(p).topic) === undefined)
          return `the offset cleanup kept the committed offset ${c.offset} of ${p}, which the group no longer needs (${groupWhy(before)})`;
    return undefined;
  },
};

export const skipOnlyOnReset: Invariant = {
  id: 'skip-only-on-reset',
  statement:
    'A consumer starts a partition past records nobody processed, and past its committed offset, only by auto.offset.reset=latest when the group holds no committed offset for it.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    const committed = committedOffsets(before);
    for (const [b, a] of sameProcesses(before, after)) {
      for (const p of gained(b, a)) {
        const next = after.processed[p] ?? 0;
        const at = common(a).positions[p] ?? 0;
        // At or below the committed offset is offset-handover's (a committed offset that an earlier
        // `latest` reset produced may lie past the processed records: that skip was judged then).
        if (at <= next || (committed[p] !== undefined && at <= committed[p].offset)) continue;
        const reset = (common(a).cfg as { offsetReset?: string }).offsetReset ?? 'earliest';
        if (reset !== 'latest')
          return `${a.name} starts ${p} at ${at}, past ${at - next} record(s) from ${next} on that nobody processed, with auto.offset.reset=${reset}`;
        if (committed[p] !== undefined)
          return `${a.name} starts ${p} at ${at}, past records nobody processed and past the offset ${committed[p].offset} committed for it`;
      }
    }
    return undefined;
  },
};
