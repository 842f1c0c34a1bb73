import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, runCli } from './cli-for-tests.ts';

export { repo };

/**
 * A user's own project with rebalance-check installed (a symlink stands in for `npm install`),
 * and the command line run in it as the user would, without colours.
 */
export function userProject(name: string) {
  const project = mkdtempSync(join(tmpdir(), `rebalance-check-${name}-`));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(repo, join(project, 'node_modules', 'rebalance-check'));
  const cli = (...args: string[]) => runCli(args, { cwd: project });
  return { project, cli };
}
