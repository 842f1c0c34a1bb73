import type { GroupContext as ConsumerGroupContext } from '../consumer-protocol/coordinator-state.ts';
import { type CoordinatorContext, type GroupMember, selectProtocol } from './coordinator-state.ts';

// ClassicGroup.fromConsumerGroup (Kafka 4.0): the online downgrade. When the last member using
// the consumer protocol leaves a consumer group whose other members all speak the classic
// protocol, the group becomes a classic group again and prepares a rebalance.

/**
 * The classic group made of the consumer group's members except `leaving`: Stable at generation =
 * the group epoch, each member's assignment its target assignment, the protocol chosen by the
 * usual vote, the first member the leader (ClassicGroup.add). The group's records are written
 * (so a failover reloads it) and each member's session timer restarts. Committed offsets are not
 * group records in Kafka and survive the conversion; the model carries them over. Simplified:
 * the member's subscription is rebuilt from its subscribed topics (Kafka keeps the serialized
 * JoinGroup metadata); the members rejoin before it is read again.
 */
export function fromConsumerGroup(group: ConsumerGroupContext, leaving: string | null, now: number): Partial<CoordinatorContext> {
  const members: Record<string, GroupMember> = {};
  const timers: Record<string, number> = {};
  for (const m of Object.values(group.members)) {
    if (m.memberId === leaving || !m.classic) continue;
    members[m.memberId] = {
      memberId: m.memberId,
      client: m.client,
      instanceId: m.instanceId,
      protocols: [...m.classic.protocols],
      subscription: { topics: [...m.topics], ownedPartitions: [], generationId: -1, groupInstanceId: m.instanceId },
      sessionTimeoutMs: m.classic.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      assignment: [...(group.target[m.memberId] ?? [])],
      joinCorr: null,
      syncCorr: null,
      isNew: false,
    };
    timers[`session:${m.memberId}`] = now + m.classic.sessionTimeoutMs;
  }
  const list = Object.values(members);
  if (list.length === 0) return { committed: group.committed, nextMemberSeq: group.nextMemberSeq };
  const generation = group.groupEpoch;
  const protocolName = selectProtocol(list);
  const leaderId = list[0].memberId;
  const persisted = {
    generation,
    protocolName,
    leaderId,
    members: Object.fromEntries(list.map(({ joinCorr: _j, syncCorr: _s, isNew: _n, ...rest }) => [rest.memberId, rest])),
  };
  return { generation, protocolName, leaderId, members, timers, committed: group.committed, persisted, nextMemberSeq: group.nextMemberSeq };
}
