import type { Invariant } from '../invariant.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../models/consumer-protocol/messages.ts';
import { JOIN_EPOCH } from '../../models/consumer-protocol/messages.ts';
import { memberCtxOf } from '../../src/world/consumer-view.ts';
import { isLive, processOf } from '../../src/world/view.ts';

/** 7.10: FENCED runs onPartitionsLost and clears the assignment before the member rejoins with epoch 0. */
export const fencedReleasesFirst: Invariant = {
  id: 'fenced-releases-first',
  statement: 'A member (re)joins with epoch 0 only after releasing every partition it owned.',
  protocols: ['consumer'],
  kind: 'safety',
  check(_before, _choice, after) {
    for (const m of after.sent) {
      if (m.to !== 'coordinator' || m.body.kind !== 'ConsumerGroupHeartbeat') continue;
      const req = m.body as ConsumerGroupHeartbeatRequest;
      if (req.memberEpoch !== JOIN_EPOCH) continue;
      const s = processOf(after, req.client)!;
      if (req.owned !== null && req.owned.length > 0) return `${s.name} joins with epoch 0 reporting [${req.owned.join(',')}]`;
      if (isLive(s) && s.inc === req.client.inc && memberCtxOf(s).owned.length > 0)
        return `${s.name} joins with epoch 0 still owning [${memberCtxOf(s).owned.join(',')}]`;
    }
    return undefined;
  },
};
