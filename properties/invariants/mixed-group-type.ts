import type { Invariant } from '../invariant.ts';
import { delivered } from '../step-facts.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import { coord, coordState } from '../../src/world/view.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import type { Choice, ProtocolFamily, World, WorldConfig } from '../../src/world/types.ts';

// The group's type after every step of a migration run, by the rules of apache/kafka's
// GroupMetadataManager (group-coordinator module), with group.consumer.migration.policy from the
// run's configuration (the broker's, ConsumerGroupMigrationPolicy):
//
// - A consumer group stays one, except:
//   - a classic JoinGroup to an empty consumer group replaces it by a classic group, whatever
//     the policy (classicGroupJoin: only a non-empty consumer group takes classic joins,
//     classicGroupJoinToConsumerGroup; an empty one goes to classicGroupJoinToClassicGroup, which
//     deletes it);
//   - the last consumer-protocol member leaving (epoch -1) or fenced (its session timeout, or its
//     rebalance timeout while it still has not revoked what it was asked at that epoch) converts
//     it to a classic group without that member when every other member uses the classic
//     protocol, at least one remains and the policy allows a downgrade
//     (consumerGroupFenceMember, validateOnlineDowngradeWithFencedMember:
//     allMembersUseClassicProtocolExcept, numMembers > 1, isDowngradeEnabled; convertToClassicGroup).
//     A classic member's LeaveGroup, join or sync timeout never does (the fenced member uses the
//     classic protocol), nor does a static leave (-2, the member stays).
// - A classic group stays one, except that a ConsumerGroupHeartbeat with member epoch 0 (the only
//   one that may create a consumer group, createIfNotExists) replaces an Empty classic group
//   whatever the policy (maybeDeleteEmptyClassicGroup), and converts a non-empty one when the
//   policy allows an upgrade and every member's assignment can be carried over
//   (validateOnlineUpgrade, convertToConsumerGroup, ConsumerGroup.fromClassicGroup, which throws
//   on a member with no assignment: the model's documented reading, docs/migration.md).
// - A coordinator failover keeps the type (the records are replayed as written).
//
// Simplified with the model: group size limits (group.consumer.max.size, group.classic.max.size)
// and static members (validateOnlineDowngradeWithReplacedMemberId) are not modelled in a migration.

const isDowngradeEnabled = (p: string) => p === 'downgrade' || p === 'bidirectional';
const isUpgradeEnabled = (p: string) => p === 'upgrade' || p === 'bidirectional';

/** validateOnlineDowngradeWithFencedMember for the member `id` leaving or fenced. */
function downgrades(g: GroupContext, id: string, policy: string): boolean {
  const fenced = g.members[id];
  if (!fenced || fenced.classic) return false;
  const others = Object.values(g.members).filter((m) => m.memberId !== id);
  return others.length > 0 && others.every((m) => m.classic) && isDowngradeEnabled(policy);
}

/** The type Kafka gives the group after this step, and why, or undefined when the step cannot change it. */
function expectedType(before: World, choice: Choice, config: WorldConfig): { type: ProtocolFamily; why: string } | undefined {
  const policy = config.migrationPolicy ?? 'bidirectional';
  const fire = choice.kind === 'fire' && choice.target === 'coordinator' ? choice.timer : null;
  const m = delivered(before, choice);
  const request = m?.to === 'coordinator' && (m.body as { epoch?: number }).epoch === before.coordinatorEpoch ? m.body : null;
  if (before.family === 'consumer') {
    if (before.coordinator.value !== 'active') return undefined;
    const g = groupOf(before);
    if (request?.kind === 'JoinGroup') {
      const empty = Object.keys(g.members).length === 0;
      return empty
        ? { type: 'classic', why: 'a classic JoinGroup to an empty consumer group replaces it by a classic group' }
        : { type: 'consumer', why: 'a classic JoinGroup to a non-empty consumer group joins it' };
    }
    let fenced: string | null = null;
    if (request?.kind === 'ConsumerGroupHeartbeat') {
      const hb = request as ConsumerGroupHeartbeatRequest;
      if (hb.memberEpoch === -1 && hb.instanceId === null && g.members[hb.memberId]) fenced = hb.memberId;
    } else if (fire?.startsWith('session:')) {
      fenced = fire.slice('session:'.length);
    } else if (fire?.startsWith('rebalance:')) {
      const r = g.members[fire.slice('rebalance:'.length)];
      // The rebalance timeout fences only a member still revoking what it was asked at the epoch the timer was armed.
      if (r?.state === 'unrevoked' && r.memberEpoch === r.rebalanceEpoch) fenced = r.memberId;
    }
    if (fenced === null || !g.members[fenced])
      return { type: 'consumer', why: 'no step but a classic join to an empty group or a departure converts a consumer group' };
    const label = fire ? `fenced by ${fire}` : 'leaving (-1)';
    if (downgrades(g, fenced, policy))
      return {
        type: 'classic',
        why: `${fenced}, the last consumer-protocol member, is ${label} with classic members left and policy ${policy}`,
      };
    return {
      type: 'consumer',
      why: `${fenced} ${label} does not downgrade the group (policy ${policy}; members ${Object.values(g.members)
        .map((x) => `${x.memberId}${x.classic ? '(classic)' : ''}`)
        .join(', ')})`,
    };
  }
  if (request?.kind === 'ConsumerGroupHeartbeat' && (request as ConsumerGroupHeartbeatRequest).memberEpoch === 0) {
    const c = coord(before);
    if (coordState(before) === 'Empty') return { type: 'consumer', why: 'a joining heartbeat replaces an empty classic group' };
    const members = Object.values(c.members);
    const upgrade = isUpgradeEnabled(policy) && members.every((x) => x.assignment !== null);
    return upgrade
      ? { type: 'consumer', why: `a joining heartbeat converts the classic group (policy ${policy}, every member assigned)` }
      : {
          type: 'classic',
          why: `a joining heartbeat may not convert the classic group (policy ${policy}${isUpgradeEnabled(policy) ? ', a member without an assignment' : ''})`,
        };
  }
  return { type: 'classic', why: 'no step but a joining heartbeat converts a classic group' };
}

const sameSet = (xs: readonly string[], ys: readonly string[]) => xs.length === ys.length && xs.every((x) => ys.includes(x));

/**
 * What a conversion carries over. Upgrade (ConsumerGroup.fromClassicGroup): every member of a
 * non-empty classic group becomes a classic member of the consumer group at member epoch = the
 * classic generation, with its classic assignment as its assigned partitions (the joining
 * heartbeat, handled next in the same step, reconciles only its own member). Downgrade
 * (ClassicGroup.fromConsumerGroup): the classic group holds exactly the members left besides the
 * one whose departure converted it, at generation = the group epoch, each with its target
 * assignment.
 */
function carriedOver(before: World, after: World): string | undefined {
  if (before.family === 'classic') {
    if (coordState(before) === 'Empty') return undefined;
    const c = coord(before);
    const a = groupOf(after);
    for (const m of Object.values(c.members)) {
      const r = a.members[m.memberId];
      if (!r?.classic) return `the upgrade did not carry classic member ${m.memberId} over to the consumer group`;
      if (r.memberEpoch !== c.generation || !sameSet(r.assigned, m.assignment ?? []))
        return `the upgrade carried ${m.memberId} over at epoch ${r.memberEpoch} with [${r.assigned}]; Kafka: epoch ${c.generation} with its classic assignment [${m.assignment ?? []}]`;
    }
    return undefined;
  }
  const g = groupOf(before);
  const c = coord(after);
  if (Object.keys(g.members).length === 0) return undefined;
  // The member whose departure converts the group is the last consumer-protocol one: the classic members stay.
  const expected = Object.keys(g.members).filter((id) => g.members[id].classic);
  if (!sameSet(Object.keys(c.members), expected))
    return `the downgrade left the classic group with [${Object.keys(c.members)}]; Kafka: the classic members [${expected}]`;
  if (c.generation !== g.groupEpoch) return `the downgrade made generation ${c.generation}; Kafka: the group epoch ${g.groupEpoch}`;
  for (const id of expected)
    if (!sameSet(c.members[id].assignment ?? [], g.target[id] ?? []))
      return `the downgrade gave ${id} [${c.members[id].assignment ?? []}]; Kafka: its target assignment [${g.target[id] ?? []}]`;
  return undefined;
}

export const mixedGroupType: Invariant = {
  id: 'mixed-group-type',
  statement:
    'After every step of a migration the group has the type Kafka gives it: an empty consumer group meeting a classic JoinGroup becomes a classic group and a non-empty one stays a consumer group; the last consumer-protocol member leaving or fenced with only classic members left converts it to a classic group as the migration policy allows; a joining heartbeat converts a classic group as the policy allows (an empty one whatever the policy); nothing else changes the type.',
  protocols: ['eager', 'cooperative', 'consumer'],
  migrationOnly: true,
  kind: 'safety',
  check(before, choice, after, config) {
    if (choice === null) return undefined;
    if (before.coordinatorEpoch !== after.coordinatorEpoch)
      return before.family === after.family
        ? undefined
        : `a coordinator failover changed the group from ${before.family} to ${after.family}`;
    const expected = expectedType(before, choice, config);
    if (expected && expected.type !== after.family)
      return `the group is a ${after.family} group after the step, Kafka's is a ${expected.type} group: ${expected.why}`;
    return before.family === after.family ? undefined : carriedOver(before, after);
  },
};
