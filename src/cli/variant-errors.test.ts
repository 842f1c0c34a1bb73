import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { userProject } from './user-project-for-tests.ts';
import { loadVariant } from '../variants/load.ts';

// A variant's own code that throws, loops while loading, or an assignor that throws: one line
// naming the variant and the place (exit 2), or, for an assignor, a failed round as in Kafka;
// never a stack trace or a hang.

const { project, cli } = userProject('errors');

writeFileSync(
  join(project, 'throws.ts'),
  `import { defineVariant } from 'rebalance-check';
export default defineVariant({
  name: 'throws-in-guard',
  description: 'a guard that throws at the first JoinGroup',
  coordinator: { guards: { needsMemberId: ({ value }: { value: unknown }) => { throw new Error('boom in ' + String(value)); } } },
});
`,
);

test('a guard that throws: check and explore print one line naming the variant, the guard and the state, exit 2', () => {
  for (const args of [
    ['check', '--variant', './throws.ts', '--protocol', 'eager', '--assignor', 'range', '--runs', '200', '--no-save'],
    // Every eager assignor, on two campaign workers (check --jobs).
    ['check', '--variant', './throws.ts', '--protocol', 'eager', '--runs', '200', '--no-save', '--jobs', '2'],
    [
      'explore',
      '--variant',
      './throws.ts',
      '--protocol',
      'eager',
      '--assignor',
      'range',
      '--members',
      '1',
      '--partitions',
      '1',
      '--no-save',
    ],
  ]) {
    const r = cli(...args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/^rebalance-check: variant throws-in-guard: coordinator guard "needsMemberId" threw: boom in \w+\n$/);
  }
});

test('an enqueue.assign the variant queues that throws: one line naming the action, exit 2', () => {
  // The queued assign runs after the enqueueActions callback has returned, outside its try.
  writeFileSync(
    join(project, 'throws-queued.ts'),
    `import { defineVariant, enqueueActions } from 'rebalance-check';
export default defineVariant({
  name: 'throws-queued',
  description: 'an assign queued by enqueueActions that throws at the first JoinGroup',
  coordinator: { actions: { addMember: enqueueActions(({ enqueue }) => { enqueue.assign(() => { throw new Error('queued boom'); }); }) } },
});
`,
  );
  for (const interpreter of ['compiled', 'xstate']) {
    const args = ['--protocol', 'eager', '--assignor', 'range', '--runs', '50', '--no-save', '--interpreter', interpreter];
    const r = cli('check', '--variant', './throws-queued.ts', ...args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toBe('rebalance-check: variant throws-queued: coordinator action "addMember" threw: queued boom\n');
  }
});

test('a variant file whose top-level code never ends is reported, not waited for', async () => {
  writeFileSync(join(project, 'loops.ts'), 'let i = 0;\nwhile (true) i++;\nexport default {};\n');
  await expect(loadVariant('./loops.ts', project, 1500)).rejects.toThrow(
    'variant file ./loops.ts did not finish loading within 1.5 s (does its top-level code loop forever?)',
  );
});

test('an assignor that throws fails the leader round (classic) or the heartbeat that computes the target (KIP-848): no crash', () => {
  writeFileSync(
    join(project, 'assignor-throws.ts'),
    `import { defineVariant, range, uniform } from 'rebalance-check';
const three = (n: number) => { if (n >= 3) throw new Error('cannot assign three members'); };
export default defineVariant({
  name: 'assignor-throws',
  description: 'range and uniform throw with three members',
  protocols: ['eager', 'consumer'],
  assignor: { ...range, assign: (input) => { three(Object.keys(input.subscriptions).length); return range.assign(input); } },
  serverAssignors: { uniform: { ...uniform, assign: (input) => { three(Object.keys(input.members).length); return uniform.assign(input); } } },
});
`,
  );
  const classic = cli(
    'check',
    '--variant',
    './assignor-throws.ts',
    '--protocol',
    'eager',
    '--runs',
    '5',
    '--no-save',
    '--no-shrink-instance',
  );
  expect(classic.code, classic.err).toBe(1);
  // Kafka's leader retries the round for ever: the group never settles.
  expect(classic.out).toContain('invariant eventually-stable violated');
  expect(classic.out).toContain('coordinator is CompletingRebalance');
  const kip848 = cli(
    'check',
    '--variant',
    './assignor-throws.ts',
    '--protocol',
    'consumer',
    '--assignor',
    'uniform',
    '--runs',
    '5',
    '--no-save',
    '--no-shrink-instance',
  );
  // Kafka answers the third member's joining heartbeat UNKNOWN_SERVER_ERROR and writes nothing;
  // that member fails fatally and the other two carry on: every invariant holds.
  expect(kip848.code, kip848.err).toBe(0);
  expect(kip848.out).toContain('all invariants hold');
});

// A variant's code that never returns: the watchdog of the supervisor (src/cli/supervise.ts) names
// it after --time-limit seconds, exit 2. A short limit keeps these tests quick.
test('a guard or an assignor that never returns: one line naming it, exit 2, in check and explore', () => {
  writeFileSync(
    join(project, 'guard-loops.ts'),
    `import { defineVariant } from 'rebalance-check';
export default defineVariant({
  name: 'guard-loops',
  description: 'a guard that never returns',
  coordinator: { guards: { needsMemberId: () => { for (;;) {} } } },
});
`,
  );
  writeFileSync(
    join(project, 'assignor-loops.ts'),
    `import { defineVariant, range } from 'rebalance-check';
export default defineVariant({
  name: 'assignor-loops',
  description: 'range that never returns with three members',
  protocols: ['eager'],
  assignor: { ...range, assign: (input) => { if (Object.keys(input.subscriptions).length >= 3) for (;;) {} return range.assign(input); } },
});
`,
  );
  const small = ['--protocol', 'eager', '--assignor', 'range', '--time-limit', '0.5', '--no-save'];
  const guard = cli('check', '--variant', './guard-loops.ts', ...small);
  expect(guard.code, guard.err).toBe(2);
  expect(guard.err).toBe(
    'rebalance-check: variant guard-loops: coordinator guard "needsMemberId" did not return within 0.5 s (--time-limit; wall-clock): stopped\n',
  );
  // On a campaign worker (check --jobs): the watchdog reaches it too.
  const guardJobs = cli('check', '--variant', './guard-loops.ts', '--protocol', 'eager', '--time-limit', '0.5', '--no-save', '--jobs', '2');
  expect(guardJobs.code, guardJobs.err).toBe(2);
  expect(guardJobs.err).toBe(
    'rebalance-check: variant guard-loops: coordinator guard "needsMemberId" did not return within 0.5 s (--time-limit; wall-clock): stopped\n',
  );
  const assignor = cli('explore', '--variant', './assignor-loops.ts', '--members', '3', '--partitions', '1', ...small);
  expect(assignor.code, assignor.err).toBe(2);
  expect(assignor.err).toBe(
    'rebalance-check: variant assignor-loops: assignor "range" (its assign call) did not return within 0.5 s (--time-limit; wall-clock): stopped\n',
  );
});
