import { assign, enqueueActions } from 'xstate';
import type { ConsumerContext, ConsumerEvent } from '../../models/classic/consumer-state.ts';
import type { GroupContext, GroupEvent } from '../../models/consumer-protocol/coordinator-state.ts';
import { REGEX_TIMER, subscribedRegexes } from '../../models/consumer-protocol/regex.ts';
import { noFaults } from '../world/faults.ts';
import { builtins } from './builtins.ts';
import { defineVariant, type Variant } from './variant.ts';

// Broken designs of regular-expression subscriptions (docs/model.md, "Regular-expression
// subscriptions"): a topic created during the run that matches the pattern is never assigned.

const settings = { pattern: true, faults: { ...noFaults, createTopics: 1 } };

export const regexVariants: Variant[] = [
  defineVariant({
    name: 'pattern-matched-once',
    description:
      'A classic consumer subscribed by pattern matches it against its metadata once, at start, and never again: a topic created later that matches is never subscribed to, so nobody rejoins and it stays unowned in a Stable group (Kafka: ConsumerCoordinator.maybeUpdateSubscriptionMetadata matches the pattern on every metadata update, and the changed subscription makes the next poll() rejoin).',
    protocols: ['eager', 'cooperative'],
    breaks: ['stable-coverage'],
    explore: {
      members: 1,
      partitions: 1,
      protocol: 'eager',
      assignor: 'range',
      pattern: true,
      budgets: { createTopic: 1 },
      maxDepth: 12,
      maxInFlight: 2,
    },
    settings,
    consumer: {
      actions: {
        updateMetadata: enqueueActions<ConsumerContext, ConsumerEvent, undefined>(({ context, enqueue }) => {
          enqueue(builtins.classicConsumer.actions.updateMetadata as never);
          enqueue.assign({ cfg: context.cfg });
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'regex-resolved-once',
    description:
      'The KIP-848 coordinator resolves a regex only while it is unresolved, never again when topics are created: a new matching topic never joins the subscription and the group never settles on it (Kafka: maybeUpdateRegularExpressions also schedules a refresh when the metadata image has topics newer than the last resolution).',
    protocols: ['consumer'],
    breaks: ['eventually-stable'],
    explore: {
      members: 1,
      partitions: 1,
      assignor: 'uniform',
      pattern: true,
      budgets: { createTopic: 1 },
      maxDepth: 3,
      maxInFlight: 2,
      maxDelayMs: 0,
      liveness: true,
    },
    settings,
    coordinator: {
      actions: {
        scheduleRegexRefresh: assign(({ context, event }: { context: GroupContext; event: GroupEvent }) => {
          const unresolved = subscribedRegexes(context.members).some((r) => context.resolvedRegexes?.[r] === undefined);
          if (!unresolved || context.timers[REGEX_TIMER] !== undefined) return {};
          return { timers: { ...context.timers, [REGEX_TIMER]: event.now } };
        }) as never,
      },
    },
  }),
  defineVariant({
    name: 'regex-no-rebalance',
    description:
      "The KIP-848 coordinator stores a regex's new resolution but does not bump the group epoch: no new target is computed, so the topics it resolved to (at the first resolution, or a topic created later) stay unassigned in a Stable group (Kafka: handleRegularExpressionsResult bumps the group epoch when a resolution changed).",
    protocols: ['consumer'],
    breaks: ['stable-coverage', 'idle-only-when-outnumbered'],
    explore: {
      members: 1,
      partitions: 1,
      assignor: 'uniform',
      pattern: true,
      budgets: { createTopic: 1 },
      maxDepth: 12,
      maxInFlight: 2,
      maxDelayMs: 0,
    },
    settings,
    coordinator: {
      actions: {
        resolveRegexes: enqueueActions<GroupContext, GroupEvent, undefined>(({ context, enqueue }) => {
          enqueue(builtins.groupCoordinator.actions.resolveRegexes as never);
          enqueue.assign({ groupEpoch: context.groupEpoch });
        }) as never,
      },
    },
  }),
];
