import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { referencePages } from './reference.ts';

// The reference pages are generated; a committed page that differs is stale.
const root = join(import.meta.dirname, '../..');

test.each(Object.entries(referencePages()))('%s is current (regenerate with: npm run docs)', (path, text) => {
  expect(readFileSync(join(root, path), 'utf8'), `${path} is stale: run npm run docs`).toBe(text);
});

test('the CLI reference lists every command with its options and defaults', () => {
  const cli = referencePages()['docs/reference/cli.md'];
  for (const c of ['check', 'replay', 'explore', 'compare', 'assignor', 'variants']) expect(cli).toContain(`## ${c}\n`);
  expect(cli).toMatch(/\| `--members <n>` \| consumer processes \[1-16\] \| 3 \|/);
});

test('every page under docs/ is linked from the README, and every README link resolves', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const links = new Set([...readme.matchAll(/\]\((docs\/[^)#]+)\)/g)].map((m) => m[1]));
  const pages = (readdirSync(join(root, 'docs'), { recursive: true }) as string[]).filter((p) => p.endsWith('.md')).map((p) => `docs/${p}`);
  expect(pages.filter((p) => !links.has(p))).toEqual([]);
  expect([...links].filter((l) => !existsSync(join(root, l)))).toEqual([]);
});
