import { readFileSync } from 'node:fs';
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
