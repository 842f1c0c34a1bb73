import type { JoinGroupRequest, LeaveGroupRequest } from '../../models/classic/messages.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import type { Choice, World } from '../../src/world/types.ts';
import type { Invariant } from '../invariant.ts';
import { groupOf } from '../../src/world/consumer-view.ts';
import { delivered } from '../step-facts.ts';
import { groupMembers, common, coord, isLive, isSettled, liveClients, strandedTopics, subscriptionOf } from '../../src/world/view.ts';

/**
 * The errors on which Kafka's consumers give up for good: a newer incarnation holds the
 * group.instance.id (FENCED_INSTANCE_ID; KIP-848 UNRELEASED_INSTANCE_ID while the old member
 * has not left), or the group runs a protocol the consumer does not support
 * (INCONSISTENT_GROUP_PROTOCOL; in a migration, GROUP_ID_NOT_FOUND answered to a
 * consumer-protocol heartbeat by a classic group that will not convert, which the Java client
 * treats as fatal, docs/migration.md). KIP-848 also gives up on a heartbeat answered with an error
 * its heartbeat manager does not know (UNKNOWN_SERVER_ERROR, as when the server assignor throws:
 * the default branch of AbstractHeartbeatRequestManager.onErrorResponse). Every other error is
 * retried (rejoin, rediscover, back off).
 */
const fatal = new Set(['FENCED_INSTANCE_ID', 'UNRELEASED_INSTANCE_ID', 'INCONSISTENT_GROUP_PROTOCOL', 'GROUP_ID_NOT_FOUND']);
const fatalFor = (kind: string, error: string) =>
  fatal.has(error) || (kind === 'ConsumerGroupHeartbeatResponse' && error === 'UNKNOWN_SERVER_ERROR');

/** A process the world keeps running stopped in this step: only an answer with a fatal error may do that. */
function stopped(before: World, choice: Choice | null, after: World): string | undefined {
  const m = delivered(before, choice);
  for (const a of after.clients) {
    // Only a process still running whose machine has stopped (most are live: decided first).
    if (a.status !== 'running' || isLive(a)) continue;
    // A process that exists only after the step (a replacement slot) cannot have stopped in it.
    const b = before.clients.find((s) => s.name === a.name);
    if (!b || a.inc !== b.inc || !isLive(b)) continue;
    // A replaced process runs on as a zombie slot `c1#1`, still answered as `c1`.
    const to = m?.to === 'client' ? m.body.client.client : undefined;
    const error = to === a.name || a.name.startsWith(`${to}#`) ? (m!.body as { error?: string }).error : undefined;
    if (error === undefined || !fatalFor(m!.body.kind, error))
      return `${a.name} stopped for good on ${error ? `a ${m!.body.kind} answered ${error}` : (choice?.kind ?? 'nothing')}, which a consumer retries`;
  }
  return undefined;
}

/**
 * INCONSISTENT_GROUP_PROTOCOL turns a classic consumer away for good, so the coordinator may
 * answer it only when the joiner names no protocol every member supports (ClassicGroup.supportsProtocols:
 * an empty group takes any non-empty list; in a consumer group, the classic members).
 */
function turnedAway(before: World, choice: Choice | null, after: World): string | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator' || m.body.kind !== 'JoinGroup') return undefined;
  const req = m.body as JoinGroupRequest;
  const refused = after.sent.some(
    (x) =>
      x.body.kind === 'JoinGroupResponse' &&
      x.body.corr === req.corr &&
      (x.body as { error: string }).error === 'INCONSISTENT_GROUP_PROTOCOL',
  );
  if (!refused || req.protocols.length === 0) return undefined;
  // A consumer group (a migration's mixed group) takes a classic JoinGroup naming a protocol every
  // classic member supports, any non-empty list while it has none (ConsumerGroup.supportsClassicProtocols).
  const members =
    before.family === 'classic'
      ? Object.values(coord(before).members)
      : Object.values(groupOf(before).members).flatMap((x) => (x.classic ? [x.classic] : []));
  const shared = req.protocols.filter((p) => members.every((x) => x.protocols.includes(p)));
  return shared.length > 0
    ? `${req.client.client}'s JoinGroup was refused INCONSISTENT_GROUP_PROTOCOL although every member supports ${shared.join(', ')}`
    : undefined;
}

/**
 * A leave takes effect at once: a LeaveGroup (KIP-848: a heartbeat with epoch -1) from a known
 * member, to the coordinator it was sent to, removes that member (classic
 * removeMemberAndUpdateGroup, KIP-848 GroupMetadataManager's consumerGroupLeave), so its
 * partitions go to the others now, not when its session would have expired.
 */
function leaverKept(before: World, choice: Choice | null, after: World): string | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'coordinator' || before.coordinatorEpoch !== after.coordinatorEpoch) return undefined;
  const req = m.body as (LeaveGroupRequest | ConsumerGroupHeartbeatRequest) & { epoch: number };
  const leaving = req.kind === 'LeaveGroup' || (req.kind === 'ConsumerGroupHeartbeat' && req.memberEpoch === -1);
  if (!leaving || req.epoch !== before.coordinatorEpoch || ['Dead', 'unloaded'].includes(String(before.coordinator.value)))
    return undefined;
  const known = groupMembers(before).find((x) => x.memberId === req.memberId);
  if (!known || (req.instanceId !== null && known.instanceId !== req.instanceId)) return undefined;
  return groupMembers(after).some((x) => x.memberId === req.memberId)
    ? `${req.client.client} left (${req.kind === 'LeaveGroup' ? 'LeaveGroup' : 'epoch -1'}) but member ${req.memberId} is still in the group`
    : undefined;
}

/**
 * Settled: a member owns nothing only if no other member holds two or more partitions of a
 * topic it subscribes to. Every built-in assignor gives a subscriber of a topic with partitions
 * to spare at least one of them, or (uniform, sticky) balances totals across shared topics;
 * balanced-when-stable says this for identical subscriptions only, idle-only-when-outnumbered
 * for topics with fewer partitions than subscribers.
 */
function starved(after: World): string | undefined {
  if (!isSettled(after)) return undefined;
  const live = liveClients(after);
  // Kafka leaves partitions a static replacement stranded mid-revocation unassigned (docs/fidelity.md).
  const stranded = strandedTopics(after);
  for (const s of live) {
    const c = common(s);
    if (c.owned.length > 0) continue;
    for (const o of live) {
      if (o === s) continue;
      for (const t of subscriptionOf(after, s)) {
        if (stranded.has(t)) continue;
        const held = common(o).owned.filter((p) => p.startsWith(`${t}-`));
        if (held.length >= 2)
          return `${s.name} owns nothing while ${o.name} holds ${held.length} partitions of ${t}, which ${s.name} subscribes to`;
      }
    }
  }
  return undefined;
}

export const noStarvingMember: Invariant = {
  id: 'no-starving-member',
  statement:
    'No consumer is left out: a process stops only on a fatal error (fenced or unreleased instance id, inconsistent protocol, a KIP-848 heartbeat failing with UNKNOWN_SERVER_ERROR), the coordinator refuses a protocol only when no member shares it, a leaving member is removed at once, and in a stable group no member owns nothing while another holds two or more partitions of a topic it subscribes to.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after) {
    return stepRules(before, choice, after) ?? starved(after);
  },
  split: { state: starved, step: stepRules },
};

/** The rules that read the step (the last, `starved`, reads the world after it alone). */
function stepRules(before: World, choice: Choice | null, after: World): string | undefined {
  return stopped(before, choice, after) ?? turnedAway(before, choice, after) ?? leaverKept(before, choice, after);
}
