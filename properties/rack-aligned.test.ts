import fc from 'fast-check';
import { expect, test } from 'vitest';
import { builtinAssignors } from '../models/assignors/index.ts';
import type { AssignInput, MemberSubscription } from '../models/assignors/types.ts';
import { rackCheck } from './invariants/rack-aligned.ts';

// rack-aligned over the assignors alone: Kafka's rack-aware builders never leave a swap that
// would put two partitions on their consumers' racks (within range's per-topic quotas and
// co-partitioning, within sticky's constrained builder), over random racks, replica placements,
// subscriptions and owned partitions. And the check can fail: the same inputs without partition
// racks (a rack-blind assignor) break it.

const RACKS = ['r0', 'r1', 'r2'];

const inputs = fc
  .record({
    members: fc.integer({ min: 2, max: 4 }),
    counts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    identical: fc.boolean(),
    seed: fc.array(fc.nat(1000), { minLength: 64, maxLength: 64 }),
  })
  .map(({ members, counts, identical, seed }) => {
    let k = 0;
    const next = (n: number) => seed[k++ % seed.length] % n;
    const topics = Object.fromEntries(counts.map((n, i) => [`t${i}`, n]));
    const partitionRacks = Object.fromEntries(
      counts.map((n, i) => [
        `t${i}`,
        Array.from({ length: n }, () => {
          const a = RACKS[next(3)];
          return next(3) === 0 ? [...new Set([a, RACKS[next(3)]])] : [a];
        }),
      ]),
    );
    const names = Object.keys(topics);
    const owned = new Map<string, string[]>();
    for (const t of names)
      for (let p = 0; p < topics[t]; p++)
        if (next(2) === 0) {
          const m = `m${next(members)}`;
          owned.set(m, [...(owned.get(m) ?? []), `${t}-${p}`]);
        }
    const subscriptions: Record<string, MemberSubscription> = {};
    for (let i = 0; i < members; i++) {
      const ts = identical || names.length === 1 ? names : names.filter((_, j) => j === 0 || next(2) === 0);
      subscriptions[`m${i}`] = {
        topics: ts,
        ownedPartitions: (owned.get(`m${i}`) ?? []).filter((p) => ts.includes(p.slice(0, p.lastIndexOf('-')))),
        generationId: 1,
        groupInstanceId: null,
        rackId: RACKS[next(3)],
      };
    }
    return { topics, subscriptions, partitionRacks } satisfies AssignInput;
  });

for (const name of ['range', 'sticky', 'cooperative-sticky'])
  test(`${name}: no rack swap left where balance allows`, () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const out = builtinAssignors[name].assign(input);
        const v = rackCheck({ members: input.subscriptions, protocolName: name }, out, input.partitionRacks);
        expect(v).toBeUndefined();
      }),
      { numRuns: 400, seed: 881 },
    );
  });

test('a rack-blind assignor breaks it', () => {
  let found = 0;
  fc.assert(
    fc.property(inputs, (input) => {
      const out = builtinAssignors.range.assign({ ...input, partitionRacks: undefined });
      if (rackCheck({ members: input.subscriptions, protocolName: 'range' }, out, input.partitionRacks)) found++;
    }),
    { numRuns: 400, seed: 881 },
  );
  expect(found).toBeGreaterThan(0);
});
