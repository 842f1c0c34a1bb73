// KAFKA-14639 (fixed by pull request 13550, Kafka 3.5, May 2023): "a single partition may be
// revoked and assigned during a single round of rebalance". When every member subscribes to the
// same topics, the sticky assignors (AbstractStickyAssignor.allSubscriptionsEqual) kept only the
// claims of the members at the highest generation. A member that missed a rebalance (a SyncGroup
// answered REBALANCE_IN_PROGRESS keeps the generation it had, KAFKA-13419) rejoined with
// partitions it still owned at an older generation; its claims were dropped, so the assignor gave
// those partitions to another member in the same round, while their owner still held them: the
// cooperative protocol's "revoke first, assign in the next round" broke, and two members
// consumed one partition. The fix keeps a claim that no other member contests, whatever its
// generation, lets the highest generation win a contested one, and drops one claimed twice at
// the same generation.
// Planted: the claims of members below the highest generation reported in the round are hidden
// from the built-in cooperative-sticky assignor, as allSubscriptionsEqual did before the fix.
import { type AssignInput, cooperativeSticky, defineVariant } from '../../src/index.ts';

function assign(input: AssignInput) {
  const newest = Math.max(...Object.values(input.subscriptions).map((s) => s.generationId));
  const subscriptions = Object.fromEntries(
    Object.entries(input.subscriptions).map(([m, s]) => [m, s.generationId < newest ? { ...s, ownedPartitions: [] } : s]),
  );
  return cooperativeSticky.assign({ ...input, subscriptions });
}

export default defineVariant({
  name: 'kafka-14639-older-generation-claims-dropped',
  description: 'KAFKA-14639: cooperative-sticky drops the claims of members below the highest generation.',
  protocols: ['cooperative'],
  assignor: { ...cooperativeSticky, assign },
});
