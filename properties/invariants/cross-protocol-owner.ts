import type { Invariant } from '../invariant.ts';
import type { ClientSlot, World } from '../../src/world/types.ts';
import { groupOf, memberCtxOf, staleInstall } from '../../src/world/consumer-view.ts';
import { clientFamily, common, coord, ctxOf, isLive } from '../../src/world/view.ts';

/**
 * The group counts the process as a member at the epoch it holds, whatever state its client is
 * in: a classic member rejoining (cooperative, still owning its partitions) counts too. In a
 * consumer group a classic process's generation is its member epoch; a classic group has no
 * KIP-848 members.
 */
function memberAtItsEpoch(w: World, s: ClientSlot): boolean {
  if (!isLive(s)) return false;
  if (w.family === 'classic') {
    const g = coord(w);
    return clientFamily(s) === 'classic' && g.members[ctxOf(s).memberId] !== undefined && ctxOf(s).generation === g.generation;
  }
  const r = groupOf(w).members[common(s).memberId];
  if (!r) return false;
  if (clientFamily(s) === 'classic') return r.classic !== null && ctxOf(s).generation === r.memberEpoch;
  return r.classic === null && memberCtxOf(s).memberEpoch > 0 && memberCtxOf(s).memberEpoch === r.memberEpoch;
}

/**
 * In a mixed group (a migration) the consumer group answers classic members from the same
 * partition epochs as KIP-848 members: a classic member's SyncGroup hands out only partitions
 * their previous owner released. A partition owned by a classic and a consumer-protocol process
 * that are both members is a double owner across the two protocols. The one exception is
 * single-owner's: a consumer-protocol member that installs a partition it reported as not owned
 * while its onPartitionsAssigned ran (`staleInstall`, docs/model.md): Kafka's client reports its
 * assignment before the callback, and the coordinator takes that as the release, whichever
 * protocol the next owner speaks.
 */
export const crossProtocolOwner: Invariant = {
  id: 'cross-protocol-single-owner',
  statement:
    'No partition is owned at once by a classic member and a consumer-protocol member of the group (except a partition the consumer-protocol member installed after reporting it as not owned while its onPartitionsAssigned ran, as for single-owner).',
  protocols: ['eager', 'cooperative', 'consumer'],
  migrationOnly: true,
  kind: 'safety',
  judges: 'state',
  check(_before, _choice, after) {
    const classic = new Map<string, string>();
    const members = after.clients.filter((s) => memberAtItsEpoch(after, s));
    for (const s of members) if (clientFamily(s) === 'classic') for (const p of common(s).owned) classic.set(p, s.name);
    for (const s of members) {
      if (clientFamily(s) !== 'consumer') continue;
      for (const p of common(s).owned) {
        if (staleInstall(after, s, p)) continue;
        const other = classic.get(p);
        if (other) return `${p} is owned by the classic member ${other} and the consumer-protocol member ${s.name}`;
      }
    }
    return undefined;
  },
};
