import { assign } from 'xstate';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import { noFaults } from '../world/faults.ts';
import { defineVariant, type Variant } from './variant.ts';

// Broken designs of offset retention and auto.offset.reset (docs/model.md, section 11): offsets a
// group still needs expire, or a consumer skips records although an offset is committed.

const expiring = { faults: { ...noFaults, crash: true, offsetExpiries: 1 } };

export const retentionVariants: Variant[] = [
  defineVariant({
    name: 'offsets-expire-while-active',
    description:
      "Kafka before 2.1 (KAFKA-4682, fixed by KIP-211): the classic coordinator expires a committed offset once offsets.retention.minutes passed since its commit, whatever the group's state, so a Stable group that commits rarely loses the offsets of partitions it is consuming (its next owner then starts from auto.offset.reset).",
    protocols: ['eager', 'cooperative'],
    breaks: ['offsets-retained'],
    explore: {
      members: 1,
      partitions: 1,
      protocol: 'eager',
      assignor: 'range',
      budgets: { process: 1, commit: 1, expireOffsets: 1 },
      maxDepth: 14,
      maxInFlight: 2,
    },
    settings: expiring,
    coordinator: { actions: { expireUnsubscribedOffsets: assign({ committed: {} }) } },
  }),
  defineVariant({
    name: 'unsubscribed-offsets-kept',
    description:
      'Kafka 2.1 to 2.4, before KIP-496: the classic coordinator expires offsets only once the group is Empty, so a Stable group keeps the offsets of topics it stopped consuming for as long as it lives (they reappear if it subscribes to the topic again).',
    protocols: ['eager', 'cooperative'],
    breaks: ['offsets-retained'],
    explore: {
      members: 1,
      partitions: 1,
      topics: 2,
      protocol: 'eager',
      assignor: 'range',
      budgets: { commit: 1, subscribe: 1, expireOffsets: 1 },
      maxDepth: 16,
      maxInFlight: 2,
    },
    // One member: with more, every one of them must drop the topic before its offsets may expire.
    settings: { members: 1, topics: { t0: 1, t1: 1 }, faults: { ...noFaults, subscribe: true, offsetExpiries: 1 } },
    coordinator: { actions: { expireUnsubscribedOffsets: assign({}) } },
  }),
  defineVariant({
    name: 'consumer-offsets-expire-subscribed',
    description:
      "The KIP-848 coordinator's offset cleanup ignores the group's subscriptions (OffsetMetadataManager.cleanupExpiredOffsets asks isSubscribedToTopic first): every offset older than offsets.retention.minutes expires, also those of topics its members consume.",
    protocols: ['consumer'],
    breaks: ['offsets-retained'],
    explore: {
      members: 1,
      partitions: 1,
      protocol: 'consumer',
      assignor: 'uniform',
      budgets: { process: 1, commit: 1, expireOffsets: 1 },
      maxDepth: 14,
      maxInFlight: 2,
    },
    settings: expiring,
    coordinator: { actions: { expireUnsubscribedOffsets: assign({ committed: {} }) } },
  }),
  defineVariant({
    name: 'latest-ignores-committed',
    description:
      'A classic consumer with auto.offset.reset=latest starts every partition it gains at the log end, as if the group had no committed offset for it: the records between the committed offset and the log end are skipped (Kafka resets a position only when OffsetFetch finds no committed offset).',
    protocols: ['eager', 'cooperative'],
    breaks: ['skip-only-on-reset'],
    explore: {
      members: 1,
      partitions: 1,
      protocol: 'eager',
      static: true,
      budgets: { process: 1, commit: 1, crash: 1, start: 1 },
      maxDepth: 14,
      maxInFlight: 2,
    },
    settings: { offsetReset: 'latest', faults: { ...noFaults, crash: true } },
    consumer: {
      actions: {
        installAssignment: assign(({ context, event }) => {
          const e = event as unknown as { msg: { assignment: string[] }; logEnd?: Record<string, number> };
          const { sync: _, ...inflight } = (context as ConsumerContext).inflight;
          const { 'req:sync': __, ...timers } = (context as ConsumerContext).timers;
          const positions = Object.fromEntries(e.msg.assignment.map((p) => [p, e.logEnd?.[p] ?? 0]));
          return { owned: [...e.msg.assignment], lastAssignment: [...e.msg.assignment], positions, rejoinNeeded: false, inflight, timers };
        }),
      },
    },
  }),
];
