import type { TopicPartition } from '../../models/types.ts';
import type { ClientSlot, World, WorldConfig } from './types.ts';
import { common, committedOffsets } from './view.ts';

// Offset retention in the world (docs/model.md, section 11): the budget of the `expireOffsets`
// choice, the log ends a `latest` reset reads, and the count of records a reset skipped.

/** A run that models offset retention or auto.offset.reset=latest: the world keeps `retention`. */
export const retentionRun = (config: WorldConfig): boolean => (config.faults.offsetExpiries ?? 0) > 0 || config.offsetReset === 'latest';

/**
 * The `expireOffsets` choice is offered: budget left and the group has committed offsets. It
 * stands for offsets.retention.minutes passing (7 days by default, beyond every other timer of
 * the model, so no deadline of the model's clock can stand for it: see docs/model.md, section 11)
 * and the coordinator's periodic cleanup running then.
 */
export function canExpireOffsets(w: World, config: WorldConfig): boolean {
  if (w.retention === undefined || w.retention.expiries >= (config.faults.offsetExpiries ?? 0)) return false;
  for (const _ in committedOffsets(w)) return true;
  return false;
}

/** The world after an offset cleanup ran: one more spent from the budget. */
export const countExpiry = (w: World): World => (w.retention ? { ...w, retention: { expiries: w.retention.expiries + 1 } } : w);

/**
 * The log end offset of every partition, as a ListOffsets(latest) answer gives it. The model has no
 * producer: records are always there to process, and the log end is taken to be one record past
 * the highest offset anyone processed (the producer keeps one record ahead of the group), so a
 * reset to `latest` skips exactly the record nobody has processed yet. Only in `latest` runs.
 */
export function logEndsFor(w: World, config: WorldConfig): { logEnd?: Record<TopicPartition, number> } {
  if (config.offsetReset !== 'latest') return {};
  const logEnd: Record<TopicPartition, number> = {};
  for (const [t, n] of Object.entries(w.topics)) for (let i = 0; i < n; i++) logEnd[`${t}-${i}`] = (w.processed[`${t}-${i}`] ?? 0) + 1;
  return { logEnd };
}

/**
 * Records skipped by a process that gained partitions in a step: a start past the first record
 * nobody has processed (`processed` is one past the highest processed offset) and past the
 * committed offset (a start at a committed offset that an earlier reset produced skips nothing new).
 */
export function skippedBy(w: World, before: ClientSlot, after: ClientSlot): number {
  if (!before.snapshot || !after.snapshot) return 0;
  const b = common(before);
  const a = common(after);
  const committed = committedOffsets(w);
  let skipped = 0;
  for (const p of a.owned) {
    if (b.owned.includes(p)) continue;
    const next = Math.max(w.processed[p] ?? 0, committed[p]?.offset ?? 0);
    const at = a.positions[p] ?? 0;
    if (at > next) skipped += at - next;
  }
  return skipped;
}
