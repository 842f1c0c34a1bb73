#!/usr/bin/env -S node --max-semi-space-size=32
// The command line. In a checkout (the TypeScript sources are here) it runs them directly through
// tsx's loader, so an edit needs no rebuild; in an installed package it runs the compiled
// JavaScript in dist/ (built by `npm run build`, which `prepare` runs).
// A larger young generation (--max-semi-space-size, MB): the explorer allocates short-lived worlds fast, and measured 8-10% faster with it.
import { existsSync } from 'node:fs';

// Output piped into `head` and closed early is not an error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const sources = new URL('../src/cli/main.ts', import.meta.url);
// REBALANCE_CHECK_FROM=dist runs the built JavaScript in a checkout too (the tests do, after `npm test`'s build).
const inCheckout = existsSync(sources) && process.env.REBALANCE_CHECK_FROM !== 'dist';
if (inCheckout) {
  const { register } = await import('tsx/esm/api');
  register();
}
const cli = (file) => import(new URL(inCheckout ? `../src/cli/${file}.ts` : `../dist/src/cli/${file}.js`, import.meta.url).href);
// `check` and `explore` run on a worker thread under a supervisor (src/cli/supervise.ts), so that
// Ctrl-C reports what was done and a variant's code that never returns is named, not waited for.
const { supervise, supervisedCommands, commandOf } = await cli('supervise');
if (supervisedCommands.includes(commandOf(process.argv))) process.exitCode = await supervise(process.argv);
else process.exitCode = await (await cli('main')).main(process.argv);
