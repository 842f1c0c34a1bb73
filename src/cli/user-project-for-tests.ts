import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const repo = resolve(import.meta.dirname, '../..');

/**
 * A user's own project with rebalance-check installed (a symlink stands in for `npm install`),
 * and the command line run in it as the user would, without colours.
 */
export function userProject(name: string) {
  const project = mkdtempSync(join(tmpdir(), `rebalance-check-${name}-`));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(repo, join(project, 'node_modules', 'rebalance-check'));
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(repo, 'bin/rebalance-check.js'), ...args], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  return { project, cli };
}
