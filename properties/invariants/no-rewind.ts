import type { Invariant } from '../invariant.ts';
import { changedProcesses } from '../step-facts.ts';
import { common } from '../../src/world/view.ts';

/**
 * At-least-once hygiene: records are processed again only after a handover, by a new owner
 * that starts from the committed offset (offset-handover). A process that keeps a partition
 * keeps its position: a rebalance, a commit or an error answer that rewinds it would process
 * records a second time although nobody else owned them (Java: SubscriptionState keeps the
 * fetch state of retained partitions through assignFromSubscribed; KIP-429 cooperative
 * rebalances and KIP-848 reconciliations keep consuming them). A duplicate thus needs a
 * change of owner, and covers only records after the last commit that reached the coordinator.
 */
export const noRewind: Invariant = {
  id: 'no-rewind',
  statement: 'A consumer that keeps a partition through a step never moves its position backwards.',
  protocols: ['eager', 'cooperative', 'consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    for (const [b, a] of changedProcesses(before, after)) {
      const cb = common(b);
      const ca = common(a);
      for (const p of ca.owned) {
        if (!cb.owned.includes(p)) continue;
        const from = cb.positions[p] ?? 0;
        const to = ca.positions[p] ?? 0;
        if (to < from) return `${a.name} kept ${p} but moved its position back from ${from} to ${to}`;
      }
    }
    return undefined;
  },
};
