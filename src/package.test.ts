// The package installs anywhere: the packed tarball, installed into a fresh plain-JavaScript
// project (no TypeScript, no tsx of its own), imports as a library and runs as a command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'rebalance-check-pack-'));
const project = join(work, 'project');

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  // --ignore-scripts: `prepare` would rebuild dist/ (rm -rf, then tsc) while test files running
  // beside this one import it; `npm test` has just built it.
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], repo);
  expect(pack.code, pack.err).toBe(0);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'plain-js-user', version: '1.0.0', type: 'module', private: true }));
  const install = run('npm', ['install', '--no-package-lock', join(work, tarball as string)], project);
  expect(install.code, install.err).toBe(0);
}, 300_000);

test('the packed package ships compiled JavaScript and no TypeScript sources', () => {
  const list = run('tar', ['-tzf', join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) as string)], work).out.split('\n');
  expect(list).toContain('package/dist/src/index.js');
  expect(list).toContain('package/dist/src/index.d.ts');
  expect(list.filter((f) => /\.ts$/.test(f) && !/\.d\.m?ts$/.test(f))).toEqual([]);
});

test('a plain JavaScript project imports the library', () => {
  writeFileSync(
    join(project, 'use.mjs'),
    [
      "import { defineVariant, checkAssignor, assign } from 'rebalance-check';",
      "const v = defineVariant({ name: 'v', description: 'd', coordinator: { actions: { rechooseLeader: assign({}) } } });",
      'console.log(typeof checkAssignor, v.name);',
    ].join('\n'),
  );
  const r = run('node', ['use.mjs'], project);
  expect(r.err).toBe('');
  expect(r.out.trim()).toBe('function v');
});

test('the installed command runs a campaign', () => {
  const r = run(
    'npx',
    ['rebalance-check', 'check', '--protocol', 'eager', '--assignor', 'range', '--runs', '10', '--members', '2', '--partitions', '2'],
    project,
  );
  expect(r.code, r.err).toBe(0);
  expect(r.out).toContain('✓ eager/range (2 members x 2 partitions): 10 runs');
});
