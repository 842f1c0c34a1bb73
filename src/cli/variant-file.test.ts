import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repo, userProject } from './user-project-for-tests.ts';

// A variant file written as a new user would from the README: in a project of its own that
// has rebalance-check installed (a symlink stands in for `npm install rebalance-check`).

const { project, cli } = userProject('user');

/** The README's example, verbatim. */
const readmeExample = (() => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const m = /<!-- variant-example -->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no variant example marked <!-- variant-example -->');
  return m[1];
})();

test("docs/variants.md shows the README's example verbatim", () => {
  const doc = readFileSync(join(repo, 'docs/variants.md'), 'utf8');
  expect(/<!-- variant-example -->\s*```ts\n([\s\S]*?)```/.exec(doc)?.[1]).toBe(readmeExample);
});

test("the README's variant file is loaded, checked, caught, saved by path and replayed", () => {
  writeFileSync(join(project, 'my-variant.ts'), readmeExample);
  const r = cli('check', '--variant', './my-variant.ts', '--assignor', 'range', '--runs', '50', '--no-shrink-instance', '--out', 'cx');
  expect(r.err).toBe('');
  expect(r.code).toBe(1);
  expect(r.out).toContain('variant sticky-leader');
  expect(r.out).toContain('invariant leader-is-member violated');
  const [file] = readdirSync(join(project, 'cx'));
  expect(JSON.parse(readFileSync(join(project, 'cx', file), 'utf8')).variant).toBe('./my-variant.ts');
  const again = cli('replay', join('cx', file));
  expect(again.code).toBe(1);
  expect(again.out).toContain('invariant leader-is-member violated');
});

test("explore --variant FILE uses the file's explore settings, in worker threads too, and the counterexample replays", () => {
  writeFileSync(join(project, 'my-variant.ts'), readmeExample);
  const r = cli('explore', '--variant', './my-variant.ts', '--workers', '2', '--out', 'ex');
  expect(r.err).toBe('');
  expect(r.code).toBe(1);
  expect(r.out).toContain(
    "variant sticky-leader (1 members x 1 partitions) with the variant's explore settings: depth <= 5, in flight <= 2; faults: leaves 1",
  );
  expect(r.out).toMatch(/invariant leader-is-member violated after [1-5] steps/);
  const [file] = readdirSync(join(project, 'ex'));
  expect(JSON.parse(readFileSync(join(project, 'ex', file), 'utf8')).variant).toBe('./my-variant.ts');
  const again = cli('replay', join('ex', file));
  expect(again.code).toBe(1);
  expect(again.out).toContain('invariant leader-is-member violated');
});

test.each([
  ['no export', 'export const x = 1;\n', 'exports no variant'],
  ['a default export that is no variant', 'export default 42;\n', 'not a variant'],
  [
    'an override name the machine does not have',
    "import { defineVariant } from 'rebalance-check';\nexport default defineVariant({ name: 'typo', description: 'd', coordinator: { guards: { isCommitGenStale: () => false } } });\n",
    'coordinator has no guard "isCommitGenStale"',
  ],
  ['a syntax error', 'export default defineVariant({{{\n', 'cannot load variant file'],
  ['code that throws while loading', "throw new Error('boom');\n", 'cannot load variant file ./bad.ts: boom'],
  [
    'explore settings out of range',
    "import { defineVariant } from 'rebalance-check';\nexport default defineVariant({ name: 'x', description: 'd', explore: { members: 9, partitions: 1, maxDepth: 5, maxInFlight: 2 } });\n",
    '"explore.members" must be a whole number from 1 to 4, got 9',
  ],
  [
    'a negative delay bound in the explore settings',
    "import { defineVariant } from 'rebalance-check';\nexport default defineVariant({ name: 'x', description: 'd', explore: { members: 1, partitions: 1, maxDepth: 5, maxInFlight: 2, maxDelayMs: -1 } });\n",
    '"explore.maxDelayMs" must be a whole number from 0 to 10000000, got -1',
  ],
  [
    'an unknown budget in the explore settings',
    "import { defineVariant } from 'rebalance-check';\nexport default defineVariant({ name: 'x', description: 'd', explore: { members: 1, partitions: 1, maxDepth: 5, maxInFlight: 2, budgets: { crashes: 1 } } as never });\n",
    '"explore.budgets.crashes" is not a budgeted kind',
  ],
])('a file with %s: one line, exit 2', (what, text, message) => {
  writeFileSync(join(project, 'bad.ts'), text);
  // compare loads variants the same way (loadVariant); once is enough to show it.
  const commands = what.includes('explore')
    ? [['explore', '--variant', './bad.ts']]
    : [
        ['check', '--variant', './bad.ts', '--runs', '1'],
        ...(what === 'a syntax error' ? [['compare', 'eager', './bad.ts', '--scenario', 'scale-out']] : []),
      ];
  for (const args of commands) {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
  }
});

test('a missing file: one line, exit 2', () => {
  const r = cli('check', '--variant', './nope.ts');
  expect(r.code).toBe(2);
  expect(r.err.trim()).toBe('rebalance-check: variant file ./nope.ts not found');
});
