import type { Invariant } from '../invariant.ts';
import { changedProcesses, responseTo } from '../step-facts.ts';
import { describeChoice } from '../../src/world/describe.ts';
import { isClassicProcess } from '../../src/world/consumer-view.ts';
import { ctxOf } from '../../src/world/view.ts';

/**
 * KIP-394: a classic consumer's member id is the coordinator's record of it. The consumer forgets
 * it when the coordinator says it no longer holds it (UNKNOWN_MEMBER_ID, to any request) or when
 * it leaves (max.poll.interval.ms passed: maybeLeaveGroup; close()); then it joins as a new
 * member. ILLEGAL_GENERATION is answered only to a member the coordinator holds, so that answer
 * resets the generation and keeps the id (AbstractCoordinator.resetStateAndGeneration with
 * shouldResetMemberId false, since KAFKA-13419): a consumer that rejoined under a new id would
 * leave the old one in the group, and the next join phase would wait for it until the rebalance
 * timeout, its partitions unconsumed. A process that closed or crashed is not judged (its
 * incarnation ends; the coordinator finds out through LeaveGroup or the session timeout).
 */
export const memberIdKept: Invariant = {
  id: 'member-id-kept',
  statement:
    'A classic consumer forgets its member id only on an UNKNOWN_MEMBER_ID answer or when it leaves the group (max.poll.interval.ms, close): an ILLEGAL_GENERATION answer keeps it.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of changedProcesses(before, after)) {
      if (a.status !== 'running' || !isClassicProcess(a)) continue;
      const id = ctxOf(b).memberId;
      if (id === '' || ctxOf(a).memberId !== '') continue;
      if (responseTo(before, choice, a)?.error === 'UNKNOWN_MEMBER_ID') continue;
      if (choice?.kind === 'fire' && choice.target === a.name && choice.timer === 'poll') continue;
      if (choice?.kind === 'close' && choice.client === a.name) continue;
      return `${a.name} forgot its member id ${id} on ${describeChoice(choice, before)}`;
    }
    return undefined;
  },
};
