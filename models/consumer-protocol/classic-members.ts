import type { CoordinatorContext as ClassicGroupContext } from '../classic/coordinator-state.ts';
import type { TopicPartition } from '../types.ts';
import type { ConsumerGroupMember, GroupContext } from './coordinator-state.ts';
import { isDowngradeEnabled } from './migration-policy.ts';

// Classic members inside a consumer group (KIP-848's online migration, GroupMetadataManager's
// classicGroup*ToConsumerGroup handlers and ConsumerGroup.fromClassicGroup in Kafka 4.0). A
// classic member sends JoinGroup/SyncGroup/Heartbeat/LeaveGroup; the consumer group answers
// them from its own epochs and target assignment: the JoinGroup's generation is the member
// epoch, SyncGroup hands out the member's assigned partitions, and Heartbeat says
// REBALANCE_IN_PROGRESS when the member must rejoin to move on. The pure helpers here are what
// the coordinator's named guards and actions are built from.

/** The member uses the classic protocol (ConsumerGroupMember.useClassicProtocol). */
export const isClassic = (m: ConsumerGroupMember | undefined): boolean => m?.classic != null;

/**
 * ConsumerGroup.supportsClassicProtocols: some protocol (assignor name) the joiner offers is
 * supported by every classic member; with no classic member yet, any non-empty list.
 */
export function supportsClassicProtocols(ctx: GroupContext, protocols: string[]): boolean {
  const classic = Object.values(ctx.members).filter((m) => m.classic);
  if (classic.length === 0) return protocols.length > 0;
  return protocols.some((p) => classic.every((m) => m.classic!.protocols.includes(p)));
}

/** ConsumerGroup.waitingOnUnreleasedPartition: a partition of its target is still held by another member. */
export function waitingOnUnreleasedPartition(ctx: GroupContext, m: ConsumerGroupMember): boolean {
  if (m.state !== 'unreleased') return false;
  return (ctx.target[m.memberId] ?? []).some((p) => !m.assigned.includes(p) && ctx.partitionEpochs[p] !== undefined);
}

/**
 * classicGroupHeartbeatToConsumerGroup: the classic member must rejoin when the group epoch went
 * past its epoch, when it has partitions to revoke, or when the partitions it waited for are free.
 */
export const classicMustRejoin = (ctx: GroupContext, m: ConsumerGroupMember): boolean =>
  m.memberEpoch < ctx.groupEpoch || m.state === 'unrevoked' || (m.state === 'unreleased' && !waitingOnUnreleasedPartition(ctx, m));

/**
 * throwIfRebalanceInProgress (SyncGroup): a newer group epoch sends the member back to JoinGroup,
 * unless it is still revoking (its next JoinGroup, carrying what it owns, moves it on).
 */
export const classicSyncRebalancing = (ctx: GroupContext, m: ConsumerGroupMember): boolean =>
  ctx.groupEpoch > m.memberEpoch && m.state !== 'unrevoked';

/**
 * validateOnlineDowngradeWithFencedMember: the member leaving (or fenced) is the last one using
 * the consumer protocol, someone stays, and the policy allows a downgrade. (Kafka also refuses
 * when the group would exceed group.classic.max.size; the model has no size limits.)
 */
export function downgradeOnFence(ctx: GroupContext, fencedId: string): boolean {
  const fenced = ctx.members[fencedId];
  if (!fenced || fenced.classic) return false;
  const others = Object.values(ctx.members).filter((m) => m.memberId !== fencedId);
  return others.length > 0 && others.every((m) => m.classic) && isDowngradeEnabled(ctx.policy);
}

/**
 * ConsumerGroup.fromClassicGroup: the group epoch and target epoch are the classic generation;
 * every member becomes STABLE at that epoch with its last classic assignment as both its current
 * and its target assignment. Members of a group that was rebalancing are asked to rejoin by the
 * epoch bump the joining consumer-protocol member causes. The subscription metadata is left
 * empty, so the first heartbeat computes it (and bumps the epoch), as in Kafka. Committed offsets
 * are not part of the group's records in Kafka and are untouched by the conversion; the model
 * keeps them in the group's context, so they are carried over. An empty classic group is simply
 * replaced by a new consumer group (epoch 0).
 */
export function fromClassicGroup(_ctx: GroupContext, classic: ClassicGroupContext, now: number): Partial<GroupContext> {
  const classicMembers = Object.values(classic.members);
  if (classicMembers.length === 0) return { committed: classic.committed, nextMemberSeq: classic.nextMemberSeq };
  const g = classic.generation;
  const members: Record<string, ConsumerGroupMember> = {};
  const target: Record<string, TopicPartition[]> = {};
  const partitionEpochs: Record<TopicPartition, number> = {};
  const timers: Record<string, number> = {};
  for (const m of classicMembers) {
    const assigned = [...(m.assignment ?? [])].sort();
    members[m.memberId] = {
      memberId: m.memberId,
      client: m.client,
      instanceId: m.instanceId,
      memberEpoch: g,
      previousEpoch: g,
      state: 'stable',
      assigned,
      pendingRevocation: [],
      topics: [...m.subscription.topics],
      assignor: null,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      rebalanceEpoch: null,
      classic: { sessionTimeoutMs: m.sessionTimeoutMs, protocols: [...m.protocols] },
    };
    target[m.memberId] = assigned;
    for (const p of assigned) partitionEpochs[p] = g;
    // convertToConsumerGroup schedules each member's session timeout with its classic session timeout.
    timers[`session:${m.memberId}`] = now + m.sessionTimeoutMs;
  }
  return {
    groupEpoch: g,
    targetEpoch: g,
    members,
    target,
    partitionEpochs,
    subscriptionMetadata: {},
    committed: classic.committed,
    timers,
    nextMemberSeq: classic.nextMemberSeq,
  };
}
