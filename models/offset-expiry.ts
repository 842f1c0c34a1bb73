// The group coordinator's offset cleanup (Kafka's OffsetMetadataManager.cleanupExpiredOffsets with
// the group's offsetExpirationCondition), shared by the classic and the KIP-848 coordinator. The
// model does not keep commit or state timestamps: the cleanup event stands for offsets.retention.minutes
// having passed with the group as it is now (docs/model.md, section 11), so the question left is
// which offsets the group still needs.

import { parseTp, type TopicPartition } from './types.ts';

/** The committed offsets without those of topics the group does not subscribe to (isSubscribedToTopic). */
export function keepSubscribed<T>(committed: Record<TopicPartition, T>, subscribed: ReadonlySet<string>): Record<TopicPartition, T> {
  const out: Record<TopicPartition, T> = {};
  for (const p in committed) if (subscribed.has(parseTp(p).topic)) out[p] = committed[p];
  return out;
}

/** The context patch of a cleanup that keeps the subscribed topics' offsets: none if nothing expires. */
export function expireUnsubscribed<T>(
  committed: Record<TopicPartition, T>,
  subscribed: ReadonlySet<string>,
): { committed?: Record<TopicPartition, T> } {
  const kept = keepSubscribed(committed, subscribed);
  return Object.keys(kept).length === Object.keys(committed).length ? {} : { committed: kept };
}
