import type { Invariant } from '../invariant.ts';
import type { MemberContext } from '../../models/consumer-protocol/member-state.ts';
import { delivered, sameProcesses, timerKey } from '../step-facts.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { clientFamily, isProcessOf } from '../../src/world/view.ts';

const coordinatorErrors = ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'];
type Slot = keyof MemberContext['inflight'];
const slots: Slot[] = ['heartbeat', 'commit', 'find'];
const slotOfResponse: Record<string, Slot> = {
  ConsumerGroupHeartbeatResponse: 'heartbeat',
  OffsetCommitResponse: 'commit',
  FindCoordinatorResponse: 'find',
};

/**
 * Requests and their answers, KIP-848 (the Java client's NetworkClient and request managers,
 * and the group coordinator's request handling):
 * - the coordinator answers every ConsumerGroupHeartbeat and OffsetCommit it handles, in the
 *   same step (GroupCoordinatorShard returns a response with every CoordinatorResult);
 * - a process's request timeout (`req:<kind>`) runs exactly while a request of that kind is in
 *   flight: NetworkClient times out in-flight requests only, and a request has one;
 * - the answer to the request in flight ends it (the request manager completes its future): a
 *   process does not go on waiting for, or time out, a request that was answered;
 * - an answer NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE to a heartbeat or a commit in flight
 *   sends the consumer to look its coordinator up (markCoordinatorUnknown).
 */
export const requestBookkeeping: Invariant = {
  id: 'request-bookkeeping',
  statement:
    'The coordinator answers every heartbeat and commit it handles; a consumer runs a request timeout exactly while that request is in flight, its answer ends it, and a coordinator error sends the consumer to look the coordinator up.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    if (before.family !== 'consumer' || after.family !== 'consumer') return undefined;
    const m = delivered(before, choice);
    if (m?.to === 'coordinator' && (m.body.kind === 'ConsumerGroupHeartbeat' || m.body.kind === 'OffsetCommit')) {
      const req = m.body as { corr: number; client: { client: string; inc: number } };
      const answered = after.sent.some(
        (r) =>
          r.to === 'client' &&
          r.body.corr === req.corr &&
          r.body.client.client === req.client.client &&
          r.body.client.inc === req.client.inc,
      );
      if (!answered) return `the coordinator handled ${req.client.client}'s ${m.body.kind} #${req.corr} without answering it`;
    }
    for (const [b, a] of sameProcesses(before, after)) {
      if (clientFamily(a) !== 'consumer') continue;
      const c = memberCtxOf(a);
      for (const k of slots) {
        const inflight = c.inflight[k] !== undefined;
        const timer = c.timers[timerKey('req:', k)] !== undefined;
        if (inflight && !timer) return `${a.name} waits for its ${k} request #${c.inflight[k]!.corr} with no request timeout running`;
        if (timer && !inflight) return `${a.name} runs a ${k} request timeout with no ${k} request in flight`;
      }
      if (m?.to === 'client' && isProcessOf(m.body.client, a)) {
        const k = slotOfResponse[m.body.kind];
        const sent = k && memberCtxOf(b).inflight[k];
        if (sent && sent.corr === m.body.corr && c.inflight[k]?.corr === sent.corr)
          return `${a.name} still waits for its ${k} request #${sent.corr} after its answer arrived`;
        const error = (m.body as { error?: string }).error ?? '';
        // close()'s last step (LEAVING) ends on any answer: no lookup follows.
        const closing = a.snapshot!.value === 'leaving';
        if (sent && sent.corr === m.body.corr && k !== 'find' && !closing && coordinatorErrors.includes(error) && c.coordinator !== null)
          return `${a.name}'s ${k} request was answered ${error} but it keeps coordinator ${c.coordinator}`;
      }
    }
    return undefined;
  },
};
