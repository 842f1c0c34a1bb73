import type { Invariant } from '../invariant.ts';
import type { MemberContext } from '../../models/consumer-protocol/member-state.ts';
import { delivered } from '../step-facts.ts';
import { groupOf, memberCtxOf } from '../../src/world/consumer-view.ts';
import { isLive, processOf } from '../../src/world/view.ts';

const REJECTIONS = ['FENCED_MEMBER_EPOCH', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'UNRELEASED_INSTANCE_ID', 'STALE_MEMBER_EPOCH'];
const inflightCorrs = (c: MemberContext) => [c.inflight.heartbeat?.corr, c.inflight.commit?.corr, c.inflight.find?.corr];

/**
 * A response the process no longer waits for (its request timed out and was superseded)
 * changes nothing in the process; a request the coordinator rejects as stale or fenced changes
 * nothing in the group.
 */
export const staleRequestsNoEffect: Invariant = {
  id: 'stale-requests-no-effect',
  statement:
    'Responses to stale requests never change the current state: a superseded response leaves the member as it was, a fenced request leaves the group as it was.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, choice, after) {
    const m = delivered(before, choice);
    if (!m || m.body.kind === 'FindCoordinator') return undefined;
    if (m.to === 'client') {
      const b = processOf(before, m.body.client)!;
      const a = after.clients.find((s) => s.name === b.name)!;
      if (!isLive(b) || !isLive(a) || b.inc !== m.body.client.inc) return undefined;
      const c0 = memberCtxOf(b);
      if (inflightCorrs(c0).includes(m.body.corr)) return undefined;
      const c1 = memberCtxOf(a);
      if (
        a.snapshot!.value !== b.snapshot!.value ||
        c1.memberEpoch !== c0.memberEpoch ||
        c1.owned.join() !== c0.owned.join() ||
        c1.target !== c0.target
      )
        return `${b.name} acted on a stale ${m.body.kind} (correlation ${m.body.corr}): ${String(b.snapshot!.value)} epoch ${c0.memberEpoch} -> ${String(a.snapshot!.value)} epoch ${c1.memberEpoch}`;
      return undefined;
    }
    const r = after.sent.find(
      (x) =>
        x.to === 'client' &&
        x.body.corr === m.body.corr &&
        x.body.client.client === m.body.client.client &&
        x.body.client.inc === m.body.client.inc,
    );
    const error = r && (r.body as { error?: string }).error;
    if (!error || !REJECTIONS.includes(error)) return undefined;
    const g0 = groupOf(before);
    const g = groupOf(after);
    if (
      g.groupEpoch !== g0.groupEpoch ||
      g.targetEpoch !== g0.targetEpoch ||
      g.members !== g0.members ||
      g.partitionEpochs !== g0.partitionEpochs ||
      g.committed !== g0.committed
    )
      return `the coordinator answered ${m.body.kind} of ${m.body.client.client} with ${error} but changed the group`;
    return undefined;
  },
};
