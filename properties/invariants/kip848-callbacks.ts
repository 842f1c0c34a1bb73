import type { Invariant } from '../invariant.ts';
import { memberFencedNow, sameProcesses } from '../step-facts.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily } from '../../src/world/view.ts';
import type { Choice, ClientSlot, World } from '../../src/world/types.ts';

// The KIP-848 consumer's rebalance callbacks, as AbstractMembershipManager and
// ConsumerMembershipManager invoke them (apache/kafka: revokeAndAssign, assignPartitions,
// invokeOnPartitionsRevokedCallback ("should not trigger the callback if partitionsRevoked is
// empty"), invokeOnPartitionsAssignedCallback ("should always trigger the callback, even if
// partitionsAssigned is empty"), invokeOnPartitionsLostCallback (not with an empty set),
// transitionToFenced, transitionToJoining; ConsumerMembershipManagerTest's
// testReconciliationOnPartitionsRevoked..., testOnPartitionsLostNoError, testFencedWhenInJoining...).
// The model shows a callback as a state of its own only when the world makes it take time
// (`slowCallbacks`: onPartitionsRevoked; `slowAssignLost`: onPartitionsAssigned and
// onPartitionsLost); with that setting a partition revoked, added or lost without passing
// through the state is a callback never invoked.
//  1. A reconciliation that revokes partitions runs onPartitionsRevoked before they go; one that
//     revokes nothing does not run it.
//  2. A reconciliation that adds partitions runs onPartitionsAssigned before they are owned
//     (assignFromSubscribedAwaitingCallback: not fetchable until it returns); it runs after the
//     revocation. Kafka invokes onPartitionsAssigned also with nothing added, so a slow one then
//     is legal and not judged.
//  3. A fence (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID) of a member that owns partitions runs
//     onPartitionsLost (FENCED) before they go, and none when it owns nothing. Inside it the
//     member epoch is 0 (resetEpoch comes first), no heartbeat is sent or scheduled (FENCED:
//     shouldSkipHeartbeat) and the owned set stays as it was; when it returns the member owns
//     nothing, keeps no position, has nothing to install (clearAssignment) and is JOINING at
//     epoch 0 (transitionToJoining).
// Not judged: close()'s callback (kip848-close); the poll-timeout leave (STALE), where Kafka
// runs onPartitionsLost at the next poll and the model releases at once (the application is
// stalled either way, nothing is fetched); a pending target kept inside onPartitionsLost (Kafka
// clears it only with clearAssignment when the callback returns; nothing reconciles in FENCED).

const closeStates = new Set(['closing', 'releasing', 'leaving']);
const stateOf = (s: ClientSlot): string => String(s.snapshot!.value);
const isMember = (s: ClientSlot): boolean => clientFamily(s) === 'consumer' && memberCtxOf(s).cfg.protocol === 'consumer';
const minus = (xs: readonly string[], ys: readonly string[]) => xs.filter((x) => !ys.includes(x));
const sameSet = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));

/** 1 and 2: reconciliation callbacks. */
function reconciliation(b: ClientSlot, a: ClientSlot): string | undefined {
  const cb = memberCtxOf(b);
  const ca = memberCtxOf(a);
  const from = stateOf(b);
  const to = stateOf(a);
  if (to === 'revoking' && from !== 'revoking') {
    if (!ca.cfg.slowCallbacks) return `${a.name} runs a slow onPartitionsRevoked though that callback is configured to return at once`;
    if ((ca.reconciling?.revoked.length ?? 0) === 0)
      return `${a.name} runs onPartitionsRevoked with nothing to revoke (Kafka invokes it only with partitions)`;
  }
  if (to === 'assigning' && from !== 'assigning') {
    if (!ca.cfg.slowAssignLost) return `${a.name} runs a slow onPartitionsAssigned though that callback is configured to return at once`;
    if (ca.cfg.slowCallbacks && (ca.reconciling?.revoked.length ?? 0) > 0 && from !== 'revoking')
      return `${a.name} runs onPartitionsAssigned before onPartitionsRevoked for [${ca.reconciling!.revoked.join(',')}]`;
  }
  // A reconciliation completed in the step: the owned set changed while the member stays in the group.
  if (sameSet(cb.owned, ca.owned) || ca.memberEpoch <= 0 || closeStates.has(to) || to === 'losing') return undefined;
  const revoked = minus(cb.owned, ca.owned);
  const added = minus(ca.owned, cb.owned);
  if (ca.cfg.slowCallbacks && revoked.length > 0 && from !== 'revoking' && from !== 'assigning')
    return `${a.name} gave up [${revoked.join(',')}] in a reconciliation without invoking onPartitionsRevoked (configured to take time)`;
  if (ca.cfg.slowAssignLost && added.length > 0 && from !== 'assigning')
    return `${a.name} took [${added.join(',')}] in a reconciliation without invoking onPartitionsAssigned (configured to take time)`;
  return undefined;
}

/** 3: a fence, and the member inside and after onPartitionsLost. */
function lost(before: World, choice: Choice | null, b: ClientSlot, a: ClientSlot): string | undefined {
  const cb = memberCtxOf(b);
  const ca = memberCtxOf(a);
  const from = stateOf(b);
  const to = stateOf(a);
  if (memberFencedNow(before, choice, b) && !closeStates.has(from) && from !== 'stale') {
    const slow = cb.cfg.slowAssignLost && cb.owned.length > 0;
    if (slow && to !== 'losing')
      return `${a.name} was fenced owning [${cb.owned.join(',')}] and gave them up without invoking onPartitionsLost (configured to take time)`;
    if (!slow && to === 'losing')
      return `${a.name} was fenced and runs a slow onPartitionsLost ${cb.owned.length === 0 ? 'with nothing owned (Kafka invokes none then)' : 'though that callback is configured to return at once'}`;
  }
  if (to === 'losing') {
    if (ca.memberEpoch !== 0)
      return `${a.name} is inside onPartitionsLost at member epoch ${ca.memberEpoch} (transitionToFenced resets it to 0 first)`;
    if (ca.inflight.heartbeat !== undefined || 'heartbeat' in ca.timers || 'retry' in ca.timers)
      return `${a.name} is inside onPartitionsLost with a heartbeat ${ca.inflight.heartbeat ? 'in flight' : 'scheduled'} (FENCED sends none)`;
    const was = from === 'losing' || memberFencedNow(before, choice, b) ? cb.owned : ca.owned;
    if (!sameSet(was, ca.owned))
      return `${a.name}'s owned partitions changed from [${was.join(',')}] to [${ca.owned.join(',')}] inside onPartitionsLost (they go when it returns)`;
  }
  if (from === 'losing' && to !== 'losing') {
    if (to !== 'joining' || ca.memberEpoch !== 0)
      return `${a.name} left onPartitionsLost for ${to} at epoch ${ca.memberEpoch}, not JOINING at epoch 0`;
    if (ca.owned.length > 0 || Object.keys(ca.positions).length > 0 || ca.target !== null || ca.reconciling !== null)
      return `${a.name} returned from onPartitionsLost still holding [${ca.owned.join(',')}] (positions of ${Object.keys(ca.positions).join(',')}${ca.target ? `, target [${ca.target.join(',')}]` : ''}): clearAssignment releases everything`;
  }
  return undefined;
}

export const kip848Callbacks: Invariant = {
  id: 'kip848-callbacks',
  statement:
    'A KIP-848 consumer invokes onPartitionsRevoked before a reconciliation revokes partitions (never with none), onPartitionsAssigned before it adds any, and onPartitionsLost when fenced owning partitions, at epoch 0 without heartbeats, releasing everything when it returns.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (after.family !== 'consumer') return undefined;
    for (const [b, a] of sameProcesses(before, after)) {
      if (!isMember(b) || !isMember(a)) continue;
      const bad = reconciliation(b, a) ?? lost(before, choice, b, a);
      if (bad) return bad;
    }
    return undefined;
  },
};
