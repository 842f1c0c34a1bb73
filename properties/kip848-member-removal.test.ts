import { expect, test } from 'vitest';
import { campaign } from '../src/random/campaign.ts';
import { allFaults, session, worldConfig } from '../src/run/config.ts';
import { mutantVariant } from '../src/mutate/mutants.ts';
import type { TimerSettings } from '../models/types.ts';
import { kip848MemberRemoval } from './invariants/kip848-member-removal.ts';

// kip848-member-removal holds on the models (dynamic, static, and with a 2 s rebalance timeout,
// where members are fenced by it), and fails on a leave from an unknown member acknowledged and
// on a session or rebalance expiry that removes the member without bumping the group epoch.
const places = {
  dynamic: { members: 3, partitions: 4, topics: 1, static: false },
  static: { members: 2, partitions: 2, topics: 2, static: true },
  'short rebalance timeout': { members: 2, partitions: 2, topics: 1, static: false },
} as const;
const timersOf = (place: keyof typeof places): Partial<TimerSettings> =>
  place === 'short rebalance timeout' ? { maxPollIntervalMs: 2_000 } : {};

function failure(place: keyof typeof places, id?: string) {
  const variant = id ? mutantVariant(id) : undefined;
  const c = worldConfig({ protocol: 'consumer', assignor: 'uniform', ...places[place], faults: allFaults, variant });
  const config = { ...c, timers: { ...c.timers, ...timersOf(place) } };
  const r = campaign(
    { ...session(config, variant), invariants: [kip848MemberRemoval] },
    { runs: 300, seed: 42, maxSteps: 60, shrink: false },
  );
  return r.failure?.violation;
}

test.each(Object.keys(places) as (keyof typeof places)[])('the KIP-848 models hold kip848-member-removal (%s)', (place) => {
  expect(failure(place)?.message).toBeUndefined();
});

test.each([
  ['kip848-coordinator/leaverKnown/true', 'dynamic', /unknown to the group, answered NONE where Kafka answers UNKNOWN_MEMBER_ID/],
  ['kip848-coordinator/expireSession/keep:groupEpoch', 'dynamic', /left the group but the group epoch went (\d+) -> \1/],
  ['kip848-coordinator/expireRebalance/keep:groupEpoch', 'short rebalance timeout', /left the group but the group epoch went (\d+) -> \1/],
  ['kip848-coordinator/fenceLeavingMember/keep:groupEpoch', 'dynamic', /left with epoch -1 but the group epoch went (\d+) -> \1/],
] as const)('%s fails it (%s)', (id, place, message) => {
  const v = failure(place, id);
  expect(v?.invariant).toBe('kip848-member-removal');
  expect(v?.message).toMatch(message);
});
