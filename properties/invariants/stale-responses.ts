import type { Invariant } from '../invariant.ts';
import { responseTo, changedProcesses } from '../step-facts.ts';
import { ctxOf } from '../../src/world/view.ts';

const slotOf = {
  JoinGroupResponse: 'join',
  SyncGroupResponse: 'sync',
  HeartbeatResponse: 'heartbeat',
  OffsetCommitResponse: 'commit',
  FindCoordinatorResponse: 'find',
} as const;

/**
 * Responses are judged against the request they answer (Kafka's sentGeneration): one that
 * answers an abandoned request, or was sent under a generation the member has since left,
 * changes nothing; a commit that fails with REBALANCE_IN_PROGRESS only asks for a rejoin.
 */
export const noDropOnStale: Invariant = {
  id: 'no-drop-on-stale-response',
  statement:
    'No member drops partitions, or resets the generation that keeps them, because of a stale response or a REBALANCE_IN_PROGRESS commit error.',
  protocols: ['eager', 'cooperative'],
  kind: 'safety',
  check(before, choice, after) {
    for (const [b, a] of changedProcesses(before, after)) {
      const r = responseTo(before, choice, a);
      if (!r || r.kind === 'LeaveGroupResponse') continue;
      const c = ctxOf(b);
      const sent = c.inflight[slotOf[r.kind]];
      const stale = sent?.corr !== r.corr || sent.generation !== c.generation || sent.memberId !== c.memberId;
      const harmless = r.kind === 'OffsetCommitResponse' && r.error === 'REBALANCE_IN_PROGRESS';
      if (!stale && !harmless) continue;
      // Already reset by an earlier, current error: its partitions are lost at the next poll
      // whatever this response says.
      if (c.generation < 0 || c.memberId === '') continue;
      const lost = c.owned.filter((p) => !ctxOf(a).owned.includes(p));
      if (lost.length > 0) return `${a.name} dropped ${lost.join(', ')} on ${stale ? 'a stale' : 'an'} ${r.kind} ${r.error}`;
      // The drop may come later: a reset generation loses every partition at the next join
      // (onPartitionsLost, which takes time of its own), so the reset is the harm.
      const reset = ctxOf(a).generation < 0 || ctxOf(a).memberId === '';
      if (reset && c.owned.length > 0)
        return `${a.name} reset its generation holding ${c.owned.join(', ')} (it will lose them) on ${stale ? 'a stale' : 'an'} ${r.kind} ${r.error}`;
    }
    return undefined;
  },
};
