import type { Invariant } from '../invariant.ts';
import { committedOffsets } from '../../src/world/view.ts';

/**
 * Kafka keeps committed offsets apart from the group's records (OffsetMetadataManager), so
 * neither convertToConsumerGroup nor convertToClassicGroup, nor the replacement of an empty group
 * by one of the other type, touches them. The model keeps them in the coordinator's context, so
 * each conversion must carry them into the new group.
 */
export const conversionKeepsOffsets: Invariant = {
  id: 'conversion-keeps-offsets',
  statement: 'Converting a group between the classic and the consumer type never loses or rewinds a committed offset.',
  protocols: ['eager', 'cooperative', 'consumer'],
  migrationOnly: true,
  kind: 'safety',
  check(before, _choice, after) {
    if (before.family === after.family) return undefined;
    const was = committedOffsets(before);
    const now = committedOffsets(after);
    for (const [p, c] of Object.entries(was)) {
      const kept = now[p]?.offset;
      if (kept === undefined) return `the ${before.family} -> ${after.family} conversion lost the committed offset ${c.offset} of ${p}`;
      if (kept < c.offset)
        return `the ${before.family} -> ${after.family} conversion moved the committed offset of ${p} back from ${c.offset} to ${kept}`;
    }
    return undefined;
  },
};
