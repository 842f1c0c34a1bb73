// KAFKA-12984 (fixed by pull request 10985, July 2021): the CooperativeStickyAssignor did not
// use the generation of the ownedPartitions a member reports. A member that fell out of the group
// and came back could still report partitions from an old generation, which another member now
// owns; the assignor, finding a partition claimed by two members, threw, the leader's round
// failed, and the group rebalanced again with the same claims, for as long as they lasted.
// The fix brought the generation back (KIP-792's field, which the plain StickyAssignor always
// used) and drops a claim from an older generation or one claimed twice in the same generation.
// Planted: the generations are hidden from the built-in assignor, and a partition claimed by two
// members makes it throw, as the assignor before the fix did.
import { type AssignInput, cooperativeSticky, defineVariant } from '../../src/index.ts';

function assign(input: AssignInput) {
  const claimed = new Map<string, string>();
  for (const [member, s] of Object.entries(input.subscriptions))
    for (const p of s.ownedPartitions) {
      const other = claimed.get(p);
      if (other !== undefined) throw new Error(`${p} is claimed by both ${other} and ${member}`);
      claimed.set(p, member);
    }
  const subscriptions = Object.fromEntries(Object.entries(input.subscriptions).map(([m, s]) => [m, { ...s, generationId: -1 }]));
  return cooperativeSticky.assign({ ...input, subscriptions });
}

export default defineVariant({
  name: 'kafka-12984-cooperative-sticky-trusts-claims',
  description: 'KAFKA-12984: cooperative-sticky ignores generations and throws on a partition claimed twice.',
  protocols: ['cooperative'],
  assignor: { ...cooperativeSticky, assign },
});
