import type { Invariant } from '../invariant.ts';
import { gained, changedProcesses } from '../step-facts.ts';
import type { ClientSlot, World } from '../../src/world/types.ts';
import { coord, ctxOf, isLive } from '../../src/world/view.ts';

/**
 * The documented ConsumerRebalanceListener guarantee: if p moves from A to B, A's revocation
 * completes before B's assignment. Stated over group members: a process removed from the group
 * (a zombie cut off from the coordinator) is exactly the case Kafka does not cover, and so is a
 * static member the coordinator kept through a join phase it never rejoined (see below).
 */
export const revokeBeforeAssign: Invariant = {
  id: 'revoke-before-assign',
  statement:
    'A partition is handed to a new owner only after every other member of the group has given it up ' +
    '(except a static member kept through a join phase it did not rejoin in time, KIP-345: Kafka does not wait for it).',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, _choice, after) {
    const members = coord(after).members;
    for (const [b, a] of changedProcesses(before, after)) {
      // A process no longer in the group (a replaced static member, a zombie, reading a late
      // SyncGroup answer) is outside the guarantee: commit fencing covers it.
      if (!members[ctxOf(a).memberId]) continue;
      for (const p of gained(b, a)) {
        for (const o of after.clients) {
          if (o === a || !isLive(o)) continue;
          const c = ctxOf(o);
          if (!members[c.memberId] || !c.owned.includes(p) || keptWithoutRejoining(after, o, p)) continue;
          return `${a.name} was given ${p} while ${o.name}, still a member, owns it`;
        }
      }
    }
    return undefined;
  },
};

/**
 * Kafka's gap for static members (docs/fidelity.md, "A static member that misses the join
 * phase"): when the join phase ends at the rebalance timeout, the coordinator removes only the
 * dynamic members that have not rejoined (GroupMetadataManager.completeClassicGroupJoin:
 * notYetRejoinedMembers filtered by !isStaticMember); a static member stays, with the
 * subscription it joined with before, and the leader assigns for it. It still owns what it held,
 * typically because its onPartitionsRevoked (or the commit before it) is still running after it
 * learnt of the rebalance late, and nothing makes the coordinator wait for that. Recognised only
 * in that shape: the owner is static, it has not adopted the generation now forming or formed
 * (its JoinGroup response for it never reached it), and it has not sent a JoinGroup since (it is
 * not `joining`: a cooperative member that rejoined reported what it owns and stays covered),
 * unless that JoinGroup reached the coordinator only after the phase it missed had ended (it is
 * parked for the next one: a slow onPartitionsAssigned can hold the rejoin back that long), or
 * had not reached it when the phase ended, so that the leader assigned from the subscription the
 * member last joined with, which does not list `p` (a static member that restarted into a Stable
 * group keeps its assignment while the coordinator stores the new process's subscription, which
 * owns nothing: GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin).
 */
function keptWithoutRejoining(w: World, o: ClientSlot, p: string): boolean {
  if (w.family !== 'classic' || ctxOf(o).cfg.instanceId === null || o.formation === w.formation) return false;
  if (o.snapshot!.value !== 'joining') return true;
  const record = coord(w).members[ctxOf(o).memberId];
  if (record === undefined) return false;
  return record.joinCorr !== null || !record.subscription.ownedPartitions.includes(p);
}
