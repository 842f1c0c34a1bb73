#!/usr/bin/env -S node --max-semi-space-size=32
// Runs the TypeScript sources directly (no build step): tsx registers an ESM loader.
// A larger young generation (--max-semi-space-size, MB): the explorer allocates short-lived worlds fast, and measured 8-10% faster with it.
import { register } from 'tsx/esm/api';

// Output piped into `head` and closed early is not an error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
