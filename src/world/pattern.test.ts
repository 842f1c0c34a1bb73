import { expect, test } from 'vitest';
import type { ConsumerContext } from '../../models/classic/consumer-state.ts';
import type { GroupContext } from '../../models/consumer-protocol/coordinator-state.ts';
import { REGEX_INTERVAL_TIMER, REGEX_TIMER } from '../../models/consumer-protocol/regex.ts';
import { SUBSCRIPTION_PATTERN } from '../../models/types.ts';
import { noFaults, session, worldConfig } from '../run/config.ts';
import type { Session } from '../run/run.ts';
import { fairChoice } from './quiesce.ts';
import type { Choice, Protocol, World } from './types.ts';
import { common, isSettled } from './view.ts';
import { enabled, initialWorld, step } from './world.ts';

// Regular-expression subscriptions (docs/model.md, "Regular-expression subscriptions"): a topic
// created during the run that matches the pattern joins the subscription. Classic consumers match
// the pattern against each metadata update (ConsumerCoordinator.maybeUpdateSubscriptionMetadata)
// and rejoin; the KIP-848 coordinator resolves the member's SubscribedTopicRegex asynchronously
// (GroupMetadataManager.maybeUpdateRegularExpressions), at most once per refresh interval.

function setup(protocol: Protocol, assignor: string, members: number): { s: Session; w: () => World; apply: (c: Choice) => void } {
  const s = session(worldConfig({ protocol, assignor, members, partitions: 1, faults: { ...noFaults, createTopics: 1 }, pattern: true }));
  let w = initialWorld(s.config, s.model);
  const apply = (c: Choice) => {
    const before = w;
    w = step(w, c, s.config, s.model);
    for (const inv of s.invariants) if (inv.kind === 'safety') expect(inv.check(before, c, w, s.config), inv.id).toBeUndefined();
  };
  return { s, w: () => w, apply };
}

/** The fair schedule until `done` (or nothing is left to do). */
function runUntil(t: ReturnType<typeof setup>, done: (w: World) => boolean): void {
  for (let i = 0; i < 500 && !done(t.w()); i++) {
    const c = fairChoice(t.w());
    if (!c) break;
    t.apply(c);
  }
  expect(done(t.w())).toBe(true);
}

const owners = (w: World) => Object.fromEntries(w.clients.map((c) => [c.name, common(c).owned]));

test('classic: a created topic joins a member subscription at its metadata refresh, and the group rebalances for it', () => {
  const t = setup('eager', 'range', 2);
  runUntil(t, isSettled);
  expect(common(t.w().clients[0]).cfg).toMatchObject({ topics: ['t0'], pattern: SUBSCRIPTION_PATTERN });
  t.apply({ kind: 'createTopic', topic: 't1' });
  // Nobody knows the topic yet: the group stays as it was and is not settled (metadata lags).
  expect(enabled(t.w(), t.s.config)).toContainEqual({ kind: 'metadata', client: 'c1' });
  expect(isSettled(t.w())).toBe(false);
  t.apply({ kind: 'metadata', client: 'c2' });
  // c2 matched the pattern against the new metadata: its subscription changed, so it rejoins
  // (rejoinNeededOrPending: the subscription differs from the last JoinGroup's) with t1 in it.
  const c2 = t.w().clients[1].snapshot!.context as ConsumerContext;
  expect(c2.cfg.topics).toEqual(['t0', 't1']);
  expect(c2.joinedTopics).toEqual(['t0', 't1']);
  expect(t.w().net.map((m) => m.body.kind)).toContain('JoinGroup');
  expect((t.w().clients[0].snapshot!.context as ConsumerContext).cfg.topics).toEqual(['t0']);
  runUntil(t, isSettled);
  const held = Object.values(owners(t.w())).flat().sort();
  expect(held).toEqual(['t0-0', 't1-0']);
});

test('KIP-848: the coordinator resolves the regex asynchronously, then again for a created topic once the refresh interval has passed', () => {
  const t = setup('consumer', 'uniform', 1);
  const group = () => t.w().coordinator.context as GroupContext;
  // The joining heartbeat carries the regex; the coordinator schedules its resolution and assigns nothing yet.
  t.apply({ kind: 'deliver', id: t.w().net[0].id });
  expect(group().members['c1-1'].regex).toBe(SUBSCRIPTION_PATTERN);
  expect(group().timers[REGEX_TIMER]).toBe(0);
  expect(group().resolvedRegexes).toBeUndefined();
  t.apply({ kind: 'deliver', id: t.w().net[0].id });
  expect(common(t.w().clients[0]).owned).toEqual([]);
  // The resolution: t0, a group epoch bump (a new target at the next heartbeat), and the interval starts.
  const epoch = group().groupEpoch;
  t.apply({ kind: 'fire', target: 'coordinator', timer: REGEX_TIMER });
  expect(group().resolvedRegexes).toEqual({ [SUBSCRIPTION_PATTERN]: { topics: ['t0'], image: 't0' } });
  expect(group().groupEpoch).toBe(epoch + 1);
  expect(group().timers[REGEX_INTERVAL_TIMER]).toBeDefined();
  runUntil(t, (w) => common(w.clients[0]).owned.length === 1);
  // A topic created while the interval runs: heartbeats do not schedule a resolution yet.
  t.apply({ kind: 'createTopic', topic: 't1' });
  t.apply({ kind: 'metadata', client: 'c1' });
  runUntil(t, (w) => (w.coordinator.context as GroupContext).timers[REGEX_INTERVAL_TIMER] === undefined);
  expect(group().resolvedRegexes![SUBSCRIPTION_PATTERN].topics).toEqual(['t0']);
  expect(group().timers[REGEX_TIMER]).toBeUndefined();
  // The next heartbeat after it schedules one (the image has a topic newer than the resolution).
  runUntil(t, (w) => (w.coordinator.context as GroupContext).timers[REGEX_TIMER] !== undefined);
  runUntil(t, isSettled);
  expect(group().resolvedRegexes![SUBSCRIPTION_PATTERN].topics).toEqual(['t0', 't1']);
  expect(common(t.w().clients[0]).owned).toEqual(['t0-0', 't1-0']);
});
