import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// How the tests start the command line. `npm test` builds dist/ first; when dist/ is newer than
// every source, the spawned CLI runs the built JavaScript (REBALANCE_CHECK_FROM=dist, read by
// bin/rebalance-check.js) and skips tsx's start-up, about one CPU second per spawn, and the tests
// spawn hundreds. After an edit without a rebuild (`npx vitest run FILE`), it runs the sources.

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|js|mjs|json)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

let fresh: boolean | undefined;
/** Whether dist/ was built after the last change to the sources it is built from. */
export function distIsFresh(): boolean {
  if (fresh === undefined) {
    const built = join(repo, 'dist/src/cli/main.js');
    fresh = existsSync(built) && statSync(built).mtimeMs >= Math.max(...['models', 'properties', 'src'].map((d) => newest(join(repo, d))));
  }
  return fresh;
}

/** The environment of a spawned CLI: the test process's, colours off unless `extra` says, dist/ when fresh. */
export function cliEnv(extra: Record<string, string> = { NO_COLOR: '1' }): NodeJS.ProcessEnv {
  return { ...process.env, ...(distIsFresh() ? { REBALANCE_CHECK_FROM: 'dist' } : {}), ...extra };
}

/** Runs `rebalance-check ARGS` to completion. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [join(repo, 'bin/rebalance-check.js'), ...args], {
    cwd: opts.cwd,
    encoding: 'utf8',
    env: cliEnv(opts.env),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
