// What a consumer does with a partition the group has no committed offset for (auto.offset.reset),
// shared by the classic consumer and the KIP-848 member.

import type { TopicPartition } from './types.ts';

/**
 * auto.offset.reset: `earliest` starts at the log start (offset 0 in the model: no log retention),
 * `latest` at the log end (the ListOffsets answer, which the world hands over with the response that
 * brings the committed offsets). Kafka's `none` (NoOffsetForPartitionException from poll()) is not
 * modelled. The model's default is `earliest` (Kafka's is `latest`): docs/model.md, section 11.
 */
export type OffsetReset = 'earliest' | 'latest';
export const offsetResets = ['earliest', 'latest'] as const satisfies readonly OffsetReset[];

/**
 * Where a consumer starts a partition it gains: the committed offset, or the reset position when
 * there is none (SubscriptionState.resetInitializingPositions after OffsetFetch found nothing).
 * `logEnd` is absent in runs without `latest` (then nothing reads it).
 */
export function startOffset(
  committed: Record<TopicPartition, number>,
  p: TopicPartition,
  reset: OffsetReset | undefined,
  logEnd: Record<TopicPartition, number> | undefined,
): number {
  const c = committed[p];
  if (c !== undefined) return c;
  return reset === 'latest' ? (logEnd?.[p] ?? 0) : 0;
}

/** The log ends a response carries to the consumer (absent: none handed over). */
export const logEndOf = (event: unknown): Record<TopicPartition, number> | undefined =>
  (event as { logEnd?: Record<TopicPartition, number> }).logEnd;

/**
 * KIP-848 member: the start offsets of `partitions` as the OffsetFetch (and, for `latest`, the
 * ListOffsets) answer gives them: the committed offsets, plus the log end for each partition
 * without one. With `earliest` the map is returned as it is (a missing offset reads as 0).
 */
export function withResets(
  committed: Record<TopicPartition, number>,
  partitions: readonly TopicPartition[],
  reset: OffsetReset | undefined,
  logEnd: Record<TopicPartition, number> | undefined,
): Record<TopicPartition, number> {
  if (reset !== 'latest') return committed;
  const out = { ...committed };
  for (const p of partitions) out[p] = startOffset(committed, p, reset, logEnd);
  return out;
}
