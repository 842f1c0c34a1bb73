import { expect, test } from 'vitest';
import { campaign } from '../src/random/campaign.ts';
import { allFaults, session, worldConfig } from '../src/run/config.ts';
import { placeSession, placesFor } from '../src/mutate/configs.ts';
import { mutantVariant } from '../src/mutate/mutants.ts';
import { livelockGuard } from '../src/mutate/run-mutant.ts';
import { findVariant } from '../src/variants/catalogue.ts';
import type { Variant } from '../src/variants/variant.ts';
import type { Choice, World } from '../src/world/types.ts';
import { memberCtxOf } from '../src/world/consumer-view.ts';
import { heartbeatCadence } from './invariants/heartbeat-cadence.ts';
import { kip848Requests } from './invariants/kip848-requests.ts';

// Two clauses of issue 13's sharpening and the place that reaches them: kip848-requests checks
// that only a failed heartbeat resets SentFields (and every one does), heartbeat-cadence that a
// fired timer is cleared or moved later (the poll-timer check waits while the coordinator is
// unknown). The mutate place "cut off" (src/mutate/configs.ts) is where a stalled member's poll
// timer fires while its coordinator is unknown.

const cutOff = placesFor(['consumer'], undefined, 'kip848-member').at(-1)!;
const only = [kip848Requests, heartbeatCadence];

test('the cut-off place is the one with cut links, and the unmutated models hold every invariant there (no zero-time livelock either)', () => {
  expect(cutOff.faults?.cut).toBe(true);
  let unknownAtPoll = 0;
  const s = {
    ...placeSession(cutOff),
    observe: (before: World, choice: Choice, after: World) => {
      guard(before, choice, after);
      if (choice.kind !== 'fire' || choice.timer !== 'poll') return;
      const b = before.clients.find((x) => x.name === choice.target);
      if (b?.snapshot && memberCtxOf(b).coordinator === null) unknownAtPoll++;
    },
  };
  const guard = livelockGuard();
  const r = campaign(s, { runs: 60, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.message).toBeUndefined();
  // The place is there for this: poll timers that fire while the coordinator is unknown.
  expect(unknownAtPoll).toBeGreaterThan(5);
});

test('the models hold kip848-requests and heartbeat-cadence with every fault on', () => {
  const config = worldConfig({ protocol: 'consumer', assignor: 'uniform', members: 3, partitions: 2, faults: allFaults });
  const r = campaign({ ...session(config), invariants: only }, { runs: 300, seed: 7, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.message).toBeUndefined();
});

const named = (name: string): Variant => findVariant(name)!;

test.each([
  // A commit's coordinator error resets SentFields: kip848-requests (only a failed heartbeat does).
  ['commit-error-resets-heartbeat', () => named('commit-error-resets-heartbeat'), 'kip848-requests', /no heartbeat failed/],
  // A heartbeat's failure does not: kip848-requests (every failed heartbeat does).
  ['requireFullHeartbeat/skip', () => mutantVariant('kip848-member/requireFullHeartbeat/skip'), 'kip848-requests', /heartbeat failed but/],
  ['ack-lost-not-resent', () => named('ack-lost-not-resent'), 'kip848-requests', /heartbeat failed but/],
  // The poll-timer check that finds the coordinator unknown re-checks at once: heartbeat-cadence.
  ['poll-recheck-spins', () => named('poll-recheck-spins'), 'heartbeat-cadence', /poll timer fired .* still due/],
  [
    'recheckPollLater/skip',
    () => mutantVariant('kip848-member/recheckPollLater/skip'),
    'heartbeat-cadence',
    /poll timer fired .* still due/,
  ],
] as const)('%s fails %s in the cut-off place', (_name, make, invariant, message) => {
  const variant = make();
  const s = { ...placeSession(cutOff, variant), invariants: only };
  const r = campaign(s, { runs: 300, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.invariant).toBe(invariant);
  expect(r.failure?.violation.message).toMatch(message);
});
