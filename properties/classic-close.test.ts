import { expect, test } from 'vitest';
import { campaign } from '../src/random/campaign.ts';
import { session, worldConfig } from '../src/run/config.ts';
import { noFaults } from '../src/world/faults.ts';
import { findVariant } from '../src/variants/catalogue.ts';
import { mutantVariant } from '../src/mutate/mutants.ts';
import { classicClose } from './invariants/classic-close.ts';
import { classicCallbacks } from './invariants/classic-callbacks.ts';

// classic-close and classic-callbacks hold on the models in a group whose only faults are closes,
// slow callbacks and slow leader assignors (where close() from STABLE and the slow paths are
// reached), and each fails on what it is meant to catch.
const quiet = { ...noFaults, leave: true, slowCallbacks: true, slowAssignLost: true, slowAssignor: true };
const only = [classicClose, classicCallbacks];

test.each(['eager', 'cooperative'] as const)('the %s models hold classic-close and classic-callbacks in a quiet group', (protocol) => {
  const assignor = protocol === 'eager' ? 'range' : 'cooperative-sticky';
  const config = worldConfig({ protocol, assignor, members: 3, partitions: 2, faults: quiet });
  const r = campaign({ ...session(config), invariants: only }, { runs: 150, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.message).toBeUndefined();
});

test.each([
  ['close-without-waiting', 'classic-close', 'before its LeaveGroup was answered|in the step it sent its LeaveGroup'],
  ['lost-callback-skipped', 'classic-callbacks', 'without invoking onPartitionsLost'],
])('%s fails %s', (name, id, message) => {
  const variant = findVariant(name)!;
  const config = worldConfig({ protocol: 'cooperative', assignor: 'cooperative-sticky', members: 2, partitions: 2, variant });
  const r = campaign({ ...session(config, variant), invariants: only }, { runs: 300, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.invariant).toBe(id);
  expect(r.failure?.violation.message).toMatch(new RegExp(message));
});

test('a close() that skips its auto-commit fails classic-close', () => {
  const variant = mutantVariant('classic-consumer/commitOnClose/false');
  const config = worldConfig({
    protocol: 'cooperative',
    assignor: 'cooperative-sticky',
    members: 2,
    partitions: 2,
    faults: quiet,
    variant,
  });
  const r = campaign({ ...session(config, variant), invariants: only }, { runs: 300, seed: 42, maxSteps: 60, shrink: false });
  expect(r.failure?.violation.message).toMatch(/sent 0 OffsetCommits/);
});
