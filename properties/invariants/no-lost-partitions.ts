import type { Choice, ClientSlot, World } from '../../src/world/types.ts';
import type { Invariant } from '../invariant.ts';
import { delivered, dropped, changedProcesses } from '../step-facts.ts';
import { common, epochOf, isClosing, isProcessOf } from '../../src/world/view.ts';

/** Errors that say only "look the coordinator up again" (Kafka: markCoordinatorUnknown). */
const coordinatorErrors = ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'];

/**
 * What the step did to this process that must leave its membership alone, or undefined. `keep`
 * also asks that it keeps its partitions; commit answers may let a revocation that was waiting
 * for the commit go ahead (classic onJoinPrepare, KIP-848 commit-before-revocation), so they
 * only ask for the membership.
 */
function harmlessFor(before: World, choice: Choice | null, s: ClientSlot): { what: string; keep: boolean } | undefined {
  if (!choice) return undefined;
  switch (choice.kind) {
    case 'fire':
      // An old request's timeout is a disconnect (Kafka: coordinatorDead / markCoordinatorUnknown);
      // the heartbeat timer only sends a heartbeat.
      // A commit that timed out, like one answered, lets a revocation waiting for it go ahead.
      if (choice.target !== s.name || !(choice.timer.startsWith('req:') || choice.timer === 'heartbeat')) return undefined;
      return { what: `the ${choice.timer} timer`, keep: choice.timer !== 'req:commit' };
    case 'process':
    case 'commit':
    case 'stall':
      return choice.client === s.name ? { what: `a ${choice.kind}`, keep: true } : undefined;
    case 'deliver': {
      const m = delivered(before, choice);
      if (m?.to !== 'client' || !isProcessOf(m.body.client, s)) return undefined;
      const error = (m.body as { error?: string }).error ?? 'NONE';
      const what = `a ${m.body.kind} ${error}`;
      const coordinatorError = coordinatorErrors.includes(error);
      switch (m.body.kind) {
        case 'HeartbeatResponse':
          return error === 'NONE' || coordinatorError ? { what, keep: true } : undefined;
        // Classic: a SyncGroup answered REBALANCE_IN_PROGRESS (another round began) or with a
        // coordinator error asks for a rejoin and keeps the generation, so a cooperative member
        // keeps what it owns into the next round (KAFKA-14016 undid KAFKA-13891's reset).
        case 'SyncGroupResponse':
          return error === 'REBALANCE_IN_PROGRESS' || coordinatorError ? { what, keep: true } : undefined;
        case 'ConsumerGroupHeartbeatResponse':
          return coordinatorError ? { what, keep: true } : undefined;
        case 'OffsetCommitResponse':
          // KIP-848: a commit error fails the commit only, membership follows the heartbeat.
          // Classic: ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID do reset the member (Kafka's
          // resetGenerationOnResponseError), REBALANCE_IN_PROGRESS only asks for a rejoin.
          // In a mixed group (a migration) what counts is the protocol the process speaks.
          if (common(s).cfg.protocol === 'consumer' || error === 'NONE' || error === 'REBALANCE_IN_PROGRESS' || coordinatorError)
            return { what, keep: false };
          return undefined;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

/**
 * A member gives up partitions only by revocation, loss of membership, a topic change or
 * close (all of close()'s steps): never because of an old request's timeout, a heartbeat, a commit or its answer,
 * processing, a stall, or a coordinator that moved. (Stale responses are
 * no-drop-on-stale-response's and stale-requests-no-effect's.)
 */
export const noLostPartitions: Invariant = {
  id: 'no-lost-partitions',
  statement:
    'A request timeout, a heartbeat, a commit or its answer, processing, a stall or a coordinator error costs a member neither its membership nor a partition of a topic it still subscribes to.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of changedProcesses(before, after)) {
      // A process inside close() gives up its partitions and membership on purpose: its next
      // steps (the close commit answered or timed out, the callback, the leave) run on such events.
      if (isClosing(b)) continue;
      const cause = harmlessFor(before, choice, b);
      if (!cause) continue;
      const cb = common(b);
      const ca = common(a);
      if (epochOf(a) !== epochOf(b) || ca.memberId !== cb.memberId)
        return `${a.name} went from member '${cb.memberId}' at ${epochOf(b)} to '${ca.memberId}' at ${epochOf(a)} on ${cause.what}`;
      if (!cause.keep) continue;
      // Already out of the group before this step (an earlier error reset it, e.g. while a slow
      // assignor ran): its partitions are lost at its next join whatever this step is; the reset
      // was judged when it happened.
      if (epochOf(b) < 0 || cb.memberId === '') continue;
      const lost = dropped(b, a).filter((p) => ca.cfg.topics.includes(p.slice(0, p.lastIndexOf('-'))));
      if (lost.length > 0) return `${a.name} dropped ${lost.join(', ')} on ${cause.what}`;
    }
    return undefined;
  },
};
