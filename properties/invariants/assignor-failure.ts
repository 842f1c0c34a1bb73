import type { Invariant } from '../invariant.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import type { MemberContext } from '../../models/consumer-protocol/member-state.ts';
import type { Msg, World } from '../../src/world/types.ts';
import { delivered } from '../step-facts.ts';
import { clientState, processOf } from '../../src/world/view.ts';
import { serverAssignorRound } from '../../src/world/world.ts';

// KIP-848: the server assignor runs inside the coordinator's handling of a heartbeat
// (GroupMetadataManager.updateTargetAssignment). When it throws, the PartitionAssignorException
// becomes UnknownServerException: the write operation fails, none of its records (member, epoch
// bump, target, current assignment) are written, and the heartbeat is answered
// UNKNOWN_SERVER_ERROR, which the client's heartbeat manager treats as fatal (the default branch
// of AbstractHeartbeatRequestManager.onErrorResponse: handleFatalFailure).

const FAILED = 'UNKNOWN_SERVER_ERROR';
const group = (w: World) => w.coordinator.context as GroupContext;

/** What a failed operation must leave untouched: every record the heartbeat could write, and the timers. */
function changedRecords(g0: GroupContext, g: GroupContext): string | undefined {
  if (g.groupEpoch !== g0.groupEpoch) return `group epoch ${g0.groupEpoch} -> ${g.groupEpoch}`;
  if (g.targetEpoch !== g0.targetEpoch) return `target epoch ${g0.targetEpoch} -> ${g.targetEpoch}`;
  if (g.members !== g0.members && JSON.stringify(g.members) !== JSON.stringify(g0.members)) return 'the member records';
  if (g.target !== g0.target && JSON.stringify(g.target) !== JSON.stringify(g0.target)) return 'the target assignment';
  if (g.partitionEpochs !== g0.partitionEpochs && JSON.stringify(g.partitionEpochs) !== JSON.stringify(g0.partitionEpochs))
    return 'the partition epochs';
  if (g.timers !== g0.timers && JSON.stringify(g.timers) !== JSON.stringify(g0.timers)) return 'the timers';
  return undefined;
}

const answerTo = (after: World, m: Msg): Msg | undefined =>
  after.sent.find(
    (x) =>
      x.to === 'client' &&
      x.body.corr === m.body.corr &&
      x.body.client.client === m.body.client.client &&
      x.body.client.inc === m.body.client.inc,
  );

export const assignorFailureNoEffect: Invariant = {
  id: 'assignor-failure-no-effect',
  statement:
    'A heartbeat whose server assignor throws is answered UNKNOWN_SERVER_ERROR and leaves the group as it was (no records written); the member it answers stops (fatal).',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'consumer' || !choice) return undefined;
    // The request side: the fault's heartbeat, or any request the coordinator answered so.
    let request: Msg | undefined;
    let fault = false;
    if (choice.kind === 'assignorFails') {
      const slot = before.clients.find((s) => s.name === choice.client);
      request = slot && serverAssignorRound(before, slot);
      fault = request !== undefined;
    } else {
      const m = delivered(before, choice);
      if (m && m.to === 'coordinator' && m.body.kind === 'ConsumerGroupHeartbeat') request = m;
    }
    if (request && after.family === 'consumer') {
      const error = (answerTo(after, request)?.body as { error?: string } | undefined)?.error;
      if (fault && error !== FAILED)
        return `the server assignor threw on ${request.body.client.client}'s heartbeat, but it was answered ${error ?? 'nothing'} (Kafka: UNKNOWN_SERVER_ERROR)`;
      if (error === FAILED) {
        const what = changedRecords(group(before), group(after));
        if (what) return `the heartbeat of ${request.body.client.client} failed with ${FAILED} but the coordinator changed ${what}`;
      }
      return undefined;
    }
    // The client side: the member that gets the error stops.
    const m = delivered(before, choice);
    if (m?.to !== 'client' || m.body.kind !== 'ConsumerGroupHeartbeatResponse' || (m.body as { error: string }).error !== FAILED)
      return undefined;
    const b = processOf(before, m.body.client);
    if (b?.snapshot?.status !== 'active' || b.inc !== m.body.client.inc) return undefined;
    if ((b.snapshot.context as MemberContext).inflight.heartbeat?.corr !== m.body.corr) return undefined;
    const a = after.clients.find((s) => s.name === b.name)!;
    if (a.snapshot?.status === 'active')
      return `${b.name} was answered ${FAILED} on its heartbeat and carried on (${clientState(a)}); Kafka's client fails fatally`;
    return undefined;
  },
};
