import { parseTp, type TopicPartition } from '../types.ts';
import type { AssignInput } from './types.ts';

// KIP-881 rack helpers shared by the rack-aware client assignors (AbstractPartitionAssignor's
// useRackAwareAssignment, the racks a member and a partition have).

/**
 * AbstractPartitionAssignor.useRackAwareAssignment: only when some member has a rack, some
 * partition has a replica on one of those racks, and not every partition has replicas on the
 * same set of racks (then every placement is as local as any other). Kafka's test-only
 * `preferRackAwareLogic` switch is `prefer`.
 */
export function useRackAwareAssignment(
  consumerRacks: Set<string>,
  partitionRacks: Map<TopicPartition, Set<string>>,
  prefer = false,
): boolean {
  // No member has a rack (the common case): decided before the partitions' racks are gathered.
  if (consumerRacks.size === 0) return false;
  const all = new Set([...partitionRacks.values()].flatMap((r) => [...r]));
  if (![...consumerRacks].some((r) => all.has(r))) return false;
  if (prefer) return true;
  return ![...partitionRacks.values()].every((r) => r.size === all.size && [...all].every((x) => r.has(x)));
}

/** A member's rack: `rackId`, with an empty string counted as none (Kafka filters `r.isEmpty()`). */
export function memberRack(input: AssignInput, member: string): string | null {
  const r = input.subscriptions[member]?.rackId;
  return r ? r : null;
}

/** The racks of a partition's replicas from the input's metadata (empty when unknown). */
export function replicaRacks(input: AssignInput, p: TopicPartition): Set<string> {
  const { topic, partition } = parseTp(p);
  return new Set(input.partitionRacks?.[topic]?.[partition] ?? []);
}

/**
 * The world's rack layout: `n` racks `r0..r(n-1)`, replication factor 1, partition p of every
 * topic on rack `(p + moves) mod n`, where `moves` counts the `moveReplica` choices that moved
 * it (so partition p of all topics share a rack until a move, the co-partitioned layout
 * RangeAssignor's documentation describes). Client slot cK runs with client.rack `r((K-1) mod n)`.
 */
export function layoutRack(racks: number, partition: number, moves: number): string {
  return `r${(partition + moves) % racks}`;
}

/** Replica moves per partition (`"t-p"` -> how many `moveReplica` choices moved it). */
export type RackMoves = Record<string, number>;

/** Whether two metadata views place every partition of `topics` on the same rack. */
export function sameRacks(a: RackMoves | null | undefined, b: RackMoves, racks: number): boolean {
  if (!a) return false;
  for (const p of new Set([...Object.keys(a), ...Object.keys(b)])) if (((a[p] ?? 0) - (b[p] ?? 0)) % racks !== 0) return false;
  return true;
}

export function clientRack(racks: number, slot: string): string {
  return `r${(Number(slot.replace(/^c(\d+).*$/, '$1')) - 1) % racks}`;
}

/** The leader's `partitionRacks` input from its metadata: topic -> per-partition racks. */
export function partitionRacksOf(topics: Record<string, number>, racks: number, moves: RackMoves): Record<string, string[][]> {
  return Object.fromEntries(
    Object.entries(topics).map(([t, n]) => [t, Array.from({ length: n }, (_, p) => [layoutRack(racks, p, moves[`${t}-${p}`] ?? 0)])]),
  );
}
