// The import rule (docs/architecture.md): folders are layers, and a module imports only from its
// own folder or from a lower layer. Type-only imports count too: a type names a concept, and the
// concept must live below whoever uses it. Tests are exempt (a test may drive its subject
// through a higher layer, e.g. the protocol suites run the random engine over the models).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { expect, test } from 'vitest';

/** Lowest first. Folders on one line are peers: they may not import each other. */
const layers: string[][] = [
  ['models'],
  ['src/core'],
  ['src/world'],
  ['properties'],
  ['src/variants'],
  ['src/run'],
  ['src/replay'],
  ['src/random', 'src/explore'],
  ['src/compare', 'src/assignor-check', 'src/conformance'],
  // Mutation analysis judges assignor mutants with the assignor checker's properties.
  ['src/mutate'],
  ['src/api'],
  ['src/index.ts', 'src/testing'],
  ['src/cli', 'src/bench', 'adapters', 'examples', 'fidelity'],
  ['bin'],
];

const root = join(import.meta.dirname, '..');

/** The layer's folder (or file) that holds a path, the longest match. */
function unitOf(path: string): string | undefined {
  let best: string | undefined;
  for (const unit of layers.flat())
    if ((path === unit || path.startsWith(`${unit}/`)) && (best === undefined || unit.length > best.length)) best = unit;
  return best;
}
const rank = (unit: string) => layers.findIndex((l) => l.includes(unit));

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(join(root, dir))) {
    const path = `${dir}/${name}`;
    if (name === 'node_modules') continue;
    if (statSync(join(root, path)).isDirectory()) yield* sources(path);
    else if (/\.(ts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('-for-tests.ts')) yield path;
  }
}

/** Why `file` may not import `target`, or undefined when it may. */
function importProblem(file: string, target: string): string | undefined {
  const from = unitOf(file);
  const to = unitOf(target);
  if (from === undefined || to === undefined || to === from) return undefined;
  if (rank(to) < rank(from)) return undefined;
  return `${file} imports ${target}: ${to} is ${rank(to) === rank(from) ? 'a peer of' : 'above'} ${from}`;
}

const specifiers = /(?:from\s+|import\s*\(\s*|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function violations(): string[] {
  const found: string[] = [];
  for (const top of ['models', 'properties', 'src', 'adapters', 'examples', 'bin', 'fidelity']) {
    for (const file of sources(top)) {
      const from = unitOf(file);
      if (from === undefined) {
        found.push(`${file} is in no layer (add its folder to the list in src/architecture.test.ts)`);
        continue;
      }
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(specifiers)) {
        const target = relative(root, normalize(join(root, dirname(file), m[1])));
        const problem = importProblem(file, target);
        if (problem) found.push(problem);
      }
    }
  }
  return found;
}

test('imports run one way: down the layers, never across peers', () => {
  expect(violations()).toEqual([]);
});

test('the rule can fail: an upward and a sideways import are named', () => {
  expect(importProblem('src/world/world.ts', 'src/cli/main.ts')).toMatch(/src\/cli is above src\/world/);
  expect(importProblem('src/random/find.ts', 'src/explore/bfs.ts')).toMatch(/peer/);
  expect(importProblem('src/cli/main.ts', 'src/world/world.ts')).toBeUndefined();
});
