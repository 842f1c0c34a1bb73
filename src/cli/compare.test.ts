import { runCli } from './cli-for-tests.ts';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { compareScenarios } from '../compare/scenarios/index.ts';

const cli = (...args: string[]) => runCli(args);

test('compare prints a table for every built-in scenario and writes self-contained HTML pages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-check-compare-'));
  const r = cli('compare', 'eager', 'cooperative', '--runs', '1', '--html', join(dir, 'cmp.html'));
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  for (const sc of compareScenarios) expect(r.out).toContain(`${sc.name}: ${sc.description}`);
  expect(r.out.match(/stop-the-world/g)).toHaveLength(compareScenarios.length);
  expect(readdirSync(dir).sort()).toEqual(['cmp.html', ...compareScenarios.map((s) => `cmp.${s.name}.html`)].sort());
  for (const f of readdirSync(dir)) {
    const html = readFileSync(join(dir, f), 'utf8');
    expect(html, f).not.toMatch(/https?:\/\/|<script|<link|@import/i);
    expect(html, f).toContain('<svg class="bars"');
  }
});

test('compare eager consumer --scenario scale-out: one table with both protocols', () => {
  const r = cli('compare', 'eager', 'consumer', '--scenario', 'scale-out', '--runs', '1');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const header = r.out.split('\n').find((l) => l.includes('eager'))!;
  expect(header).toMatch(/eager.*consumer/);
  for (const m of ['rebalances', 'generations / group epochs', 'stop-the-world', 'time to stable']) expect(r.out).toContain(m);
  expect(r.out.match(/scale-out: /g)).toHaveLength(1);
});

test('compare --json: per design, per metric mean/min/max', () => {
  const r = cli('compare', 'eager/range', 'cooperative+short-session-timeout', '--scenario', 'network-flap', '--runs', '2', '--json');
  expect(r.code).toBe(0);
  const { results } = JSON.parse(r.out);
  expect(results).toHaveLength(1);
  const [eager, short] = results[0].designs;
  expect(eager.metrics.rebalances.mean).toBe(0);
  // A 6 s cut outlives a 4 s session: the cut member is expired and rejoins, every flap.
  expect(short.metrics.rebalances.min).toBeGreaterThanOrEqual(3);
});

test.each([
  [['compare', 'eager'], 'at least two designs'],
  [['compare', 'eager', 'cooperative', '--scenario', 'nope'], "unknown --scenario 'nope'"],
  [['compare', 'eager', 'cooperative/range'], "unknown assignor 'range' for protocol cooperative"],
  [['compare', 'eager', 'nope'], "unknown --variant 'nope'"],
  [['compare', 'eager', 'cooperative', '--latency', '9-1'], '--latency must be'],
])('%j: one line, exit 2', (args, message) => {
  const r = cli(...args);
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toContain(message);
});

test('variants lists the catalogue with expected breaks; --names prints every overridable name', async () => {
  const { catalogue } = await import('../variants/catalogue.ts');
  const { overridableNames } = await import('../variants/overrides.ts');
  const list = cli('variants', '--json');
  expect(list.code).toBe(0);
  expect(JSON.parse(list.out).map((v: { name: string; breaks: string[] }) => [v.name, v.breaks])).toEqual(
    catalogue.map((v) => [v.name, v.breaks]),
  );
  const names = cli('variants', '--names');
  expect(names.code).toBe(0);
  for (const n of [...overridableNames('coordinator').guards, ...overridableNames('consumer').actions])
    expect(names.out).toContain(`  ${n} `);
  expect(names.out).not.toContain('(undocumented)');
});
