import type { JoinGroupRequest } from '../../models/classic/messages.ts';
import type { Invariant } from '../invariant.ts';
import { ctxOf, processOf } from '../../src/world/view.ts';

/** CO3: an EAGER client sends JoinGroup only after onPartitionsRevoked/Lost emptied its assignment. */
export const eagerRevokeBeforeJoin: Invariant = {
  id: 'eager-revoke-before-join',
  statement: 'In eager mode every member has revoked all its partitions before it sends JoinGroup.',
  protocols: ['eager'],
  kind: 'safety',
  check(_before, _choice, after) {
    for (const m of after.sent) {
      if (m.body.kind !== 'JoinGroup') continue;
      const req = m.body as JoinGroupRequest;
      const slot = processOf(after, req.client);
      if (!slot?.snapshot) continue;
      const c = ctxOf(slot);
      if (c.cfg.protocol === 'eager' && c.owned.length > 0) return `${slot.name} sent JoinGroup while still owning ${c.owned.join(', ')}`;
    }
    return undefined;
  },
};
