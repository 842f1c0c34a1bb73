import { expect, test } from 'vitest';
import { planCampaigns } from '../api/check.ts';
import { type ExampleBlock, exampleBlocks, examplePages, normalise, runExample } from './examples.ts';

// The example outputs in the README and the guides are real and current (src/cli/examples.ts;
// `npm run docs:examples` rewrites them): the quick ones are run again whole; the default
// `check`, over a minute, must list exactly the campaigns `check` plans, and a sample of them is
// run again one campaign at a time (a campaign's lines do not depend on the others).

const blocks: ExampleBlock[] = examplePages.flatMap(exampleBlocks);
const isDefaultCheck = (b: ExampleBlock) => b.args.join(' ') === 'check';
const quick = [...new Map(blocks.filter((b) => !isDefaultCheck(b)).map((b) => [b.args.join(' '), b])).values()];

test('the README shows the default check and a failure, as example blocks', () => {
  expect(blocks.filter((b) => b.page === 'README.md').map((b) => b.args.join(' '))).toEqual([
    'check',
    'check --variant leader-not-rechosen',
  ]);
});

test.each(quick.map((b) => [b.args.join(' '), b] as const))('rebalance-check %s prints what the docs show', (_name, b) => {
  const out = normalise(runExample(b.args));
  for (const same of blocks.filter((x) => x.args.join(' ') === b.args.join(' ')))
    expect(normalise(same.output), `${same.page} is stale: npm run docs:examples`).toBe(out);
});

test('the default check block lists every campaign check runs, in order, and sampled campaigns print its lines', () => {
  const block = blocks.find(isDefaultCheck)!;
  const lines = block.output.split('\n');
  const passes = lines.filter((l) => l.startsWith('✓ ') || l.startsWith('✗ '));
  const labels = planCampaigns({}, undefined).map((p) => p.label);
  expect(passes.map((l) => l.slice(2, l.indexOf(':')))).toEqual(labels);
  const samples: Array<[string, string[]]> = [
    [
      'eager/range static 2 racks (3 members x 2 topics x 3 partitions)',
      ['--protocol', 'eager', '--assignor', 'range', '--static', '--topics', '2', '--partitions', '3', '--racks', '2'],
    ],
    ['consumer/uniform (3 members x 6 partitions)', ['--protocol', 'consumer', '--assignor', 'uniform']],
  ];
  for (const [label, args] of samples) {
    const at = lines.findIndex((l) => l.startsWith(`✓ ${label}:`));
    expect(at, label).toBeGreaterThanOrEqual(0);
    const shown = normalise(lines.slice(at, at + 2).join('\n'));
    expect(normalise(runExample(['check', ...args])).trimEnd(), `README.md is stale for ${label}: npm run docs:examples`).toBe(shown);
  }
}, 120_000);
