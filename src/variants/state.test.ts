import { expect, test } from 'vitest';
import { enqueueActions } from 'xstate';
import { explore } from '../api/explore.ts';
import { builtins, defineVariant, variantState, type Variant } from '../index.ts';
import { campaign } from '../random/campaign.ts';
import { noFaults } from '../world/faults.ts';
import { session, worldConfig } from '../run/config.ts';

// A variant's own state (variantState): a typed slot in the machine's context that the variant's
// actions write and its guards and actions read. Three things must hold for it to be of use:
// the slot drives behaviour in the runs, it is part of the explored state, and it is process
// memory (a restart starts from the initial value).

const generationsSeen = variantState('generations-seen', 0);

/** A consumer that counts the generations it adopts, and from the third on (if `stuck`) keeps the second. */
const counting = (stuck: boolean): Variant =>
  defineVariant({
    name: stuck ? 'stuck-after-two-generations' : 'counts-generations',
    description: stuck
      ? 'A consumer adopts the first two generations it is given and keeps the second for ever after: its requests carry a stale generation.'
      : 'A consumer counts the generations it adopts; nothing else changes.',
    protocols: ['eager'],
    breaks: [],
    consumer: {
      actions: {
        adoptGeneration: enqueueActions(({ context, enqueue }) => {
          if (!stuck || generationsSeen.get(context) < 2) enqueue(builtins.classicConsumer.actions.adoptGeneration as never);
          enqueue(generationsSeen.update((n: number) => n + 1));
        }),
      },
    },
  });

const run = (variant: Variant, faults = noFaults) =>
  campaign(session(worldConfig({ protocol: 'eager', assignor: 'range', members: 3, partitions: 6, faults, variant }), variant), {
    runs: 100,
    seed: 42,
    maxSteps: 60,
    shrink: false,
  });

test("the slot drives a variant's decision: check catches the consumer that keeps its second generation, and not the one that only counts", () => {
  const withCrashes = { ...noFaults, crash: true };
  expect(run(counting(false), withCrashes).failure).toBeUndefined();
  expect(run(counting(true), withCrashes).failure?.violation.invariant).toBeDefined();
});

/** A consumer that keeps the parity of the JoinGroups it sent: a fact no other part of the state holds. */
const parity = variantState('join-parity', 0);
const joinParity = defineVariant({
  name: 'join-parity',
  description: 'A consumer keeps the parity of the JoinGroups it sent; nothing else changes.',
  protocols: ['eager'],
  breaks: [],
  consumer: {
    actions: {
      sendJoinGroup: enqueueActions(({ enqueue }) => {
        enqueue(builtins.classicConsumer.actions.sendJoinGroup as never);
        enqueue(parity.update((p: number) => 1 - p));
      }),
    },
  },
});

test('the slot is part of the explored state: states that differ only in it are told apart', async () => {
  const small = { members: 1, partitions: 1, protocol: 'eager' as const, assignor: 'range', maxDepth: 8, maxInFlight: 2 };
  const plain = await explore({
    ...small,
    variant: defineVariant({ name: 'plain', description: 'the model', protocols: ['eager'], breaks: [] }),
  });
  const counted = await explore({ ...small, variant: joinParity });
  expect(plain.ok && counted.ok).toBe(true);
  expect(counted.result.states).toBeGreaterThan(plain.result.states);
});

test('the slot reads its initial value until written, and the name must be a word', () => {
  expect(generationsSeen.get({})).toBe(0);
  expect(generationsSeen.get({ 'variant:generations-seen': 3 })).toBe(3);
  expect(() => variantState('no spaces', 0)).toThrow("variantState: the name must be a word (letters, digits, - or _), got 'no spaces'");
});
