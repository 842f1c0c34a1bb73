// KAFKA-15170 (fixed by pull request 13965, Kafka 3.6, July 2023): KIP-881 made the sticky
// assignors rack-aware (Kafka 3.5). When the constrained builder hands members back their owned
// partitions, one whose replicas are no longer on the member's rack is given up, to be placed on
// a member of a matching rack. It was dropped without being recorded as maybe revoked, so when it
// went to another member it was missing from partitionsTransferringOwnership, and
// CooperativeStickyAssignor.adjustAssignment did not hold it back for a round: the partition went
// straight from one member to another in the same rebalance. The Java consumer no longer
// validates the built-in cooperative-sticky assignment (KAFKA-13406), so the new owner started on
// it while the old one still held it until it processed its own, smaller assignment. The fix
// records such a partition in maybeRevokedPartitions, so that it counts as transferring. (The same
// pull request fixed the minQuota bookkeeping of the rack-aware round robin; not planted here.)
// Planted: the built-in engine runs as it is, then a partition whose only current claimant gave
// it up for its rack (rack-aware assignment in use, no replica on that member's rack) is taken
// out of the transferring set before the cooperative adjustment, as before the fix.
import { type AssignInput, type AssignOutput, cooperativeSticky, defineVariant, stickyAssign } from '../../src/index.ts';

type TopicPartition = string;

const topicOf = (p: TopicPartition) => p.slice(0, p.lastIndexOf('-'));
const partitionOf = (p: TopicPartition) => Number(p.slice(p.lastIndexOf('-') + 1));
const replicaRacks = (input: AssignInput, p: TopicPartition) => new Set(input.partitionRacks?.[topicOf(p)]?.[partitionOf(p)] ?? []);
const rackOf = (input: AssignInput, m: string) => input.subscriptions[m].rackId || null;

/** AbstractPartitionAssignor.useRackAwareAssignment, over the subscribed topics' partitions. */
function rackAware(input: AssignInput): boolean {
  const consumerRacks = new Set(Object.keys(input.subscriptions).flatMap((m) => rackOf(input, m) ?? []));
  if (consumerRacks.size === 0) return false;
  const topics = [...new Set(Object.values(input.subscriptions).flatMap((s) => s.topics))].filter((t) => input.topics[t] !== undefined);
  const racks = topics.flatMap((t) => Array.from({ length: input.topics[t] }, (_, i) => replicaRacks(input, `${t}-${i}`)));
  const all = new Set(racks.flatMap((r) => [...r]));
  if (![...consumerRacks].some((r) => all.has(r))) return false;
  return !racks.every((r) => r.size === all.size && [...all].every((x) => r.has(x)));
}

/** The member whose claim on p stands (KIP-792: the highest generation, if only one member claims it there). */
function soleOwner(input: AssignInput, p: TopicPartition): string | undefined {
  const claimants = Object.entries(input.subscriptions).filter(([, s]) => s.ownedPartitions.includes(p));
  const top = Math.max(...claimants.map(([, s]) => s.generationId));
  const atTop = claimants.filter(([, s]) => s.generationId === top);
  return atTop.length === 1 ? atTop[0][0] : undefined;
}

function assign(input: AssignInput): AssignOutput {
  const { assignment, transferring } = stickyAssign(input);
  // The general builder (unequal subscriptions) computes the transfers from a diff: untouched.
  if (transferring === null || !rackAware(input)) return cooperativeSticky.assign(input);
  for (const [p, m] of transferring) {
    const owner = soleOwner(input, p);
    const rack = owner === undefined ? null : rackOf(input, owner);
    const offRack = rack !== null && !replicaRacks(input, p).has(rack);
    if (owner !== undefined && owner !== m && offRack) continue;
    const list = assignment.get(m)!;
    if (list.includes(p)) list.splice(list.indexOf(p), 1);
  }
  return Object.fromEntries(assignment);
}

export default defineVariant({
  name: 'kafka-15170-rack-revocation-not-held-back',
  description: 'KAFKA-15170: cooperative-sticky moves a partition given up for its rack straight to another member.',
  protocols: ['cooperative'],
  assignor: { ...cooperativeSticky, assign },
});
