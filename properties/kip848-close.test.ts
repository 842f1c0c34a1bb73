import { expect, test } from 'vitest';
import { campaign } from '../src/random/campaign.ts';
import { allFaults, session, worldConfig } from '../src/run/config.ts';
import { noFaults } from '../src/world/faults.ts';
import { mutantVariant } from '../src/mutate/mutants.ts';
import { kip848Close } from './invariants/kip848-close.ts';
import { kip848Callbacks } from './invariants/kip848-callbacks.ts';
import { kip848Requests } from './invariants/kip848-requests.ts';

// kip848-close, kip848-callbacks and kip848-requests hold on the models in a quiet group (closes
// and slow callbacks only, where close() from STABLE and the slow paths are reached) and with
// every fault on, and each clause fails on what it is meant to catch.
const quiet = { ...noFaults, leave: true, slowCallbacks: true, slowAssignLost: true };
const only = [kip848Close, kip848Callbacks, kip848Requests];

test.each([
  ['quiet', quiet, 'uniform'],
  ['every fault', allFaults, 'range'],
] as const)('the KIP-848 models hold kip848-close, kip848-callbacks and kip848-requests (%s)', (_name, faults, assignor) => {
  const config = worldConfig({ protocol: 'consumer', assignor, members: 3, partitions: 2, faults });
  const r = campaign({ ...session(config), invariants: only }, { runs: 150, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.message).toBeUndefined();
});

test.each([
  ['kip848-member/commitOnClose/false', quiet, 'kip848-close', /sent 0 OffsetCommits/],
  ['kip848-member/slowRelease/false', quiet, 'kip848-close', /without running its onPartitionsRevoked/],
  ['kip848-member/sendLeaveOnClose/skip', quiet, 'kip848-close', /LEAVING but still owns|LEAVING at member epoch|leave heartbeat/],
  ['kip848-member/revokesWithSlowCallback/true', quiet, 'kip848-callbacks', /with nothing to revoke/],
  ['kip848-member/addsWithSlowCallback/false', quiet, 'kip848-callbacks', /without invoking onPartitionsAssigned/],
  ['kip848-member/slowLoss/false', allFaults, 'kip848-callbacks', /without invoking onPartitionsLost/],
  ['kip848-member/sendHeartbeat/keep:sent', quiet, 'kip848-requests', /as the subscription last sent|repeats its unchanged/],
  ['kip848-member/canCommitInGroup/true', allFaults, 'kip848-requests', /coordinator is unknown/],
] as const)('%s fails %s', (id, faults, invariant, message) => {
  const variant = mutantVariant(id);
  const config = worldConfig({ protocol: 'consumer', assignor: 'uniform', members: 3, partitions: 2, faults, variant });
  const r = campaign({ ...session(config, variant), invariants: only }, { runs: 300, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.invariant).toBe(invariant);
  expect(r.failure?.violation.message).toMatch(message);
});
