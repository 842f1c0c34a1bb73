// Example outputs in the README and the guides are real runs: a block between
// `<!-- example: ARGS -->` and `<!-- /example -->` holds the output of `rebalance-check ARGS`,
// written by `npm run docs:examples` (run in a scratch directory, so counterexample paths read as
// a user sees them). examples.test.ts re-runs the quick ones and fails when a block is stale;
// for the whole default `check` it re-runs a sample of its campaigns one by one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
/** The pages that hold example blocks. */
export const examplePages = ['README.md', 'docs/replay.md'];

const blockRe = /<!-- example: ([^>]*?) -->\n```\n([\s\S]*?)```\n<!-- \/example -->/g;

export interface ExampleBlock {
  page: string;
  args: string[];
  /** The block as committed, without the `$ npx rebalance-check ...` line. */
  output: string;
}

export function exampleBlocks(page: string): ExampleBlock[] {
  const text = readFileSync(join(root, page), 'utf8');
  return [...text.matchAll(blockRe)].map((m) => ({
    page,
    args: m[1].trim().split(/\s+/),
    output: m[2].split('\n').slice(1).join('\n'),
  }));
}

/** What differs from run to run on the same options and seed: rates and wall-clock seconds. */
export const normalise = (output: string): string =>
  output
    .replace(/\([\d,]+ runs\/s\)/g, '(N runs/s)')
    .replace(/[\d.]+ s \([\d,]+ states\/s\), heap [\d,]+ MB/g, 'T s (N states/s), heap M MB');

/** Runs `rebalance-check ARGS` as a user would, in a scratch directory, without colours; stdout. */
export function runExample(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rc-example-'));
  try {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'rebalance-check.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function regenerate(page: string): void {
  const path = join(root, page);
  let text = readFileSync(path, 'utf8');
  text = text.replace(blockRe, (_all, argText: string) => {
    const args = argText.trim().split(/\s+/);
    console.error(`${page}: rebalance-check ${args.join(' ')}`);
    const out = runExample(args);
    return `<!-- example: ${args.join(' ')} -->\n\`\`\`\n$ npx rebalance-check ${args.join(' ')}\n${out}\`\`\`\n<!-- /example -->`;
  });
  writeFileSync(path, text);
}

if (import.meta.url === `file://${process.argv[1]}`) for (const page of examplePages) regenerate(page);
