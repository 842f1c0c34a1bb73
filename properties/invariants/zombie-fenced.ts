import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import type { ClientSlot, Msg, World } from '../../src/world/types.ts';
import { common, groupMembers, isLive, isProcessOf, processOf } from '../../src/world/view.ts';

const coordinatorErrors = ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS'];

/** The member id the coordinator holds the instance for, if any. */
const holder = (w: World, instance: string): string | undefined => groupMembers(w).find((m) => m.instanceId === instance)?.memberId;
/** The KIP-848 coordinator holds the instance for a member parked with epoch -2. */
const parked = (w: World, instance: string): boolean =>
  Object.values((w.coordinator.context as { members: Record<string, { instanceId: string | null; memberEpoch: number }> }).members).some(
    (m) => m.instanceId === instance && m.memberEpoch === -2,
  );

/**
 * Static membership's fencing (KIP-345, and KIP-848's UNRELEASED_INSTANCE_ID): when a process
 * is replaced by a new one with the same group.instance.id while it still runs (paused, or cut
 * off: a zombie), the group belongs to the replacement. Classic: the coordinator maps the
 * instance id to the replacement's member id and answers the zombie's requests with
 * FENCED_INSTANCE_ID (GroupMetadataManager validates the static member), fatal for it.
 * KIP-848: a rejoin with the instance id of an active member is refused with
 * UNRELEASED_INSTANCE_ID. Either way no request of the zombie takes the instance away from its
 * live replacement. (Once the coordinator no longer holds it for the replacement, a zombie may
 * become a member again: Kafka allows that. And a classic zombie whose very first JoinGroup
 * arrives late is, to the coordinator, the newer incarnation.)
 */
/** Classic requests that name a member, which a coordinator that no longer holds it must refuse. */
const memberRequests = ['Heartbeat', 'SyncGroup', 'JoinGroup', 'LeaveGroup'];

/**
 * A dynamic member's zombie (its process left running while a replacement joined as a new
 * member): once the coordinator no longer knows its member id (the session expired, or it was
 * removed from a join phase), its classic requests with that id are answered UNKNOWN_MEMBER_ID
 * (GroupMetadataManager: classic group member validation), and it must rejoin from scratch as a
 * new member. Only then, like any newcomer, may it become a member again.
 */
function dynamicZombieRefused(before: World, after: World, m: Msg, z: ClientSlot): string | undefined {
  if (after.family !== 'classic' || before.family !== 'classic' || !memberRequests.includes(m.body.kind)) return undefined;
  const memberId = (m.body as { memberId?: string }).memberId ?? '';
  const g = before.coordinator.context as { members: Record<string, unknown>; pending: string[] };
  if (memberId === '' || g.members[memberId] !== undefined || g.pending.includes(memberId)) return undefined;
  const reply = after.sent.find((r) => r.to === 'client' && r.body.corr === m.body.corr && isProcessOf(r.body.client, z));
  const error = reply && (reply.body as { error?: string }).error;
  // A JoinGroup whose protocols the group does not support is refused before the member check
  // (classicGroupJoinToClassicGroup: INCONSISTENT_GROUP_PROTOCOL), a refusal too.
  const refusals = ['UNKNOWN_MEMBER_ID', 'INCONSISTENT_GROUP_PROTOCOL', ...coordinatorErrors];
  if (error !== undefined && !refusals.includes(error))
    return `a ${m.body.kind} from zombie ${z.name} with member id ${memberId}, which the coordinator no longer has, was answered ${error}, not UNKNOWN_MEMBER_ID`;
  return undefined;
}

export const zombieFenced: Invariant = {
  id: 'zombie-fenced',
  statement:
    'A replaced process still running (a zombie) is fenced: with the same group.instance.id, classic answers its requests FENCED_INSTANCE_ID and none takes the instance away from its live replacement; a dynamic one whose member id the classic coordinator no longer has is answered UNKNOWN_MEMBER_ID.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (m?.to !== 'coordinator') return undefined;
    const z = processOf(before, m.body.client);
    if (!z || z.zombieOf === null || !isLive(z)) return undefined;
    const instance = common(z).cfg.instanceId;
    if (instance === null) return dynamicZombieRefused(before, after, m, z);
    const replacement = before.clients.find((s) => s.name === z.zombieOf);
    if (!replacement || !isLive(replacement)) return undefined;
    const held = holder(before, instance);
    if (held === undefined || held !== common(replacement).memberId) return undefined;
    const memberId = (m.body as { memberId?: string }).memberId ?? '';
    if (after.family === 'classic' && memberId !== '') {
      const reply = after.sent.find((r) => r.to === 'client' && r.body.corr === m.body.corr && isProcessOf(r.body.client, z));
      const error = reply && (reply.body as { error?: string }).error;
      // The coordinator answers; a broker that is not (or not yet) the coordinator does not judge.
      if (error !== undefined && error !== 'FENCED_INSTANCE_ID' && !coordinatorErrors.includes(error))
        return `a ${m.body.kind} from zombie ${z.name} (member ${memberId}) was answered ${error}, not FENCED_INSTANCE_ID, while ${replacement.name} (${held}) holds instance ${instance}`;
    }
    // A classic JoinGroup without a member id is, to the coordinator, a newer incarnation (its
    // first join arriving late): Kafka lets the newcomer win, so it may take the instance.
    if (after.family === 'classic' && m.body.kind === 'JoinGroup' && memberId === '') return undefined;
    // KIP-848: a static member that left temporarily (epoch -2, e.g. its poll timer expired) is
    // replaced by whichever process joins next with its instance id (GroupMetadataManager's
    // static member replacement); a late first join of the zombie is such a process.
    if (before.family === 'consumer' && parked(before, instance)) return undefined;
    const now = holder(after, instance);
    if (now !== undefined && now !== held)
      return `a ${m.body.kind} from zombie ${z.name} moved instance ${instance} from its replacement ${replacement.name} (${held}) to ${now}`;
    return undefined;
  },
};
