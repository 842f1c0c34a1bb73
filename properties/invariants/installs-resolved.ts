import type { Invariant } from '../invariant.ts';
import type { MemberContext } from '../../models/consumer-protocol/member-state.ts';
import { gained, sameProcesses } from '../step-facts.ts';
import { clientFamily, isProcessOf } from '../../src/world/view.ts';
import type { ClientSlot } from '../../src/world/types.ts';

// KIP-848 assignments name topics by id; the consumer reconciles only the part of its target whose
// topic ids it can resolve to names (AbstractMembershipManager.findResolvableAssignmentAndTriggerMetadataUpdate:
// the metadata cache, or the names of topics it already holds). The rest waits, with a metadata
// update requested, and is reconciled when the metadata arrives; the heartbeat acknowledges the
// current assignment only (what was installed). That it is installed once the metadata arrives is
// reaches-target's and eventually-stable's to judge.

const topicOf = (p: string) => p.slice(0, p.lastIndexOf('-'));

/** What the process began reconciling or installed in the step resolves (it was left as it was: nothing). */
function resolvedInstalls(b: ClientSlot, a: ClientSlot, c0: MemberContext, c1: MemberContext): string | undefined {
  const held = new Set(c0.owned.map(topicOf));
  const resolves = (p: string) => c1.metadata[topicOf(p)] !== undefined || held.has(topicOf(p));
  // Names are resolved when a reconciliation begins (maybeReconcile works on names from then
  // on): what it plans to add must resolve then; what it installs later was resolved then,
  // even if a subscription change has since asked for the topic's metadata again.
  if (c1.reconciling !== null && c1.reconciling !== c0.reconciling) {
    const unnamed = c1.reconciling.assignment.filter((p) => !c0.owned.includes(p) && !resolves(p));
    if (unnamed.length > 0)
      return `${a.name} began reconciling ${unnamed.join(', ')}, whose topic is not in its metadata (the topic id cannot be resolved yet)`;
  }
  const unnamed = gained(b, a).filter((p) => !c0.reconciling?.assignment.includes(p) && !resolves(p));
  if (unnamed.length > 0)
    return `${a.name} installed ${unnamed.join(', ')}, whose topic is not in its metadata (the topic id cannot be resolved yet)`;
  return undefined;
}

export const installsResolved: Invariant = {
  id: 'installs-resolved',
  statement:
    'A KIP-848 member installs a partition only once its topic resolves (named in its metadata, or a topic it already holds), and its heartbeats report as owned only partitions it installed.',
  protocols: ['consumer'],
  kind: 'safety',
  check(before, _choice, after) {
    for (const [b, a] of sameProcesses(before, after)) {
      if (clientFamily(a) !== 'consumer') continue;
      const c0 = b.snapshot!.context as MemberContext;
      const c1 = a.snapshot!.context as MemberContext;
      // A process the step left as it was began and installed nothing: only its heartbeats are left to read.
      const bad = b === a ? undefined : resolvedInstalls(b, a, c0, c1);
      if (bad) return bad;
      for (const m of after.sent) {
        if (m.to !== 'coordinator' || m.body.kind !== 'ConsumerGroupHeartbeat' || !isProcessOf(m.body.client, a)) continue;
        const owned = (m.body as { owned: string[] | null }).owned ?? [];
        const extra = owned.filter((p) => !c0.owned.includes(p) && !c1.owned.includes(p));
        if (extra.length > 0) return `${a.name}'s heartbeat reports ${extra.join(', ')} as owned, which it has not installed`;
      }
    }
    return undefined;
  },
};
