import type { Invariant } from '../invariant.ts';
import { sameProcesses } from '../step-facts.ts';
import { clientFamily, ctxOf, isProcessOf } from '../../src/world/view.ts';
import type { ClientSlot, World } from '../../src/world/types.ts';

// KIP-429's onPartitionsLost for the classic consumer. ConsumerCoordinator.onJoinPrepare, run
// once before a rebalance's JoinGroup, first asks whether the generation or member id was reset
// (an UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION answer, a KIP-62 poll timeout, a session expiry
// seen by the heartbeat thread): then every assigned partition is lost (invokePartitionsLost,
// assignFromSubscribed(empty)), for EAGER and COOPERATIVE alike, because another member may
// already own it. A member that kept them would go on fetching, and (cooperative) claim them in
// its JoinGroup, while no longer in the group. The Generation is reset as a whole
// (resetStateAndGeneration), so a JoinGroup without a member id names no generation.
//
// Only the step that ends onJoinPrepare is judged (the consumer enters `joining` from another
// state): Kafka does not run onJoinPrepare again when a JoinGroup is retried inside the same
// rebalance (joinGroupIfNeeded's needsJoinPrepare), and it reads the generation as it was when
// it ran, so the generation the consumer had before the step is the one that counts.

const hasGeneration = (s: ClientSlot): boolean => ctxOf(s).generation >= 0 && ctxOf(s).memberId !== '';

function lostFirst(b: ClientSlot, a: ClientSlot): string | undefined {
  if (String(a.snapshot!.value) !== 'joining' || String(b.snapshot!.value) === 'joining' || hasGeneration(b)) return undefined;
  const owned = ctxOf(a).owned;
  if (owned.length > 0)
    return `${a.name} rejoins without a generation (it was reset) but still owns ${owned.join(', ')}: onJoinPrepare must give them up as lost`;
  return undefined;
}

function joinNamesNoStaleGeneration(b: ClientSlot, after: World): string | undefined {
  for (const m of after.sent) {
    if (m.to !== 'coordinator' || m.body.kind !== 'JoinGroup' || !isProcessOf(m.body.client, b)) continue;
    const j = m.body;
    if (j.memberId === '' && j.subscription.generationId !== -1)
      return `${b.name} sent a JoinGroup without a member id that claims generation ${j.subscription.generationId} (a reset forgets the generation with the member id)`;
  }
  return undefined;
}

export const lostBeforeRejoin: Invariant = {
  id: 'lost-before-rejoin',
  statement:
    'A classic consumer whose generation or member id was reset gives up every partition it owns (onPartitionsLost) before its JoinGroup, and a JoinGroup without a member id names no generation.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, _choice, after) {
    for (const [b, a] of sameProcesses(before, after)) {
      if (clientFamily(b) !== 'classic' || clientFamily(a) !== 'classic') continue;
      const bad = lostFirst(b, a) ?? joinNamesNoStaleGeneration(b, after);
      if (bad) return bad;
    }
    return undefined;
  },
};
