import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, expect, test, vi } from 'vitest';
import { main } from './main.ts';

// rebalance-check validate on real logs: the fixtures are the traces that `npm run conformance
// -- --broker kafka --logs DIR` wrote for seed 42 `cooperative#3` (Apache Kafka 4.3.1, the Java
// consumer and librdkafka), unedited.

const fixtures = 'src/conformance/fixtures/logs';
const dir = mkdtempSync(join(tmpdir(), 'rc-validate-'));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

let out: string[] = [];
let err: string[] = [];
afterEach(() => vi.restoreAllMocks());
async function run(...args: string[]): Promise<number> {
  out = [];
  err = [];
  // The text as read, without colours (picocolors turns them on where CI is set).
  vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(stripVTControlCharacters(String(m))));
  vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(stripVTControlCharacters(String(m))));
  return main(['node', 'rebalance-check', 'validate', ...args]);
}

test('real logs from the Java consumer and librdkafka on a real broker pass', async () => {
  expect(await run(`${fixtures}/cooperative-kafka-java.jsonl`)).toBe(0);
  expect(out.join('\n')).toMatch(/4 processes: single-owner held/);
  expect(await run('--protocol', 'cooperative', `${fixtures}/cooperative-kafka-librdkafka.jsonl`)).toBe(0);
  expect(out.join('\n')).toMatch(/single-owner, revoke-before-reassign held/);
});

test('a double owner is rejected with the offending line and the lines around it', async () => {
  const lines = readFileSync(`${fixtures}/cooperative-kafka-java.jsonl`, 'utf8').trim().split('\n');
  // c2 owns t0-0 and t0-1 after the first line; c1 is handed t0-0 while c2 still owns it.
  const bad = JSON.stringify({ time: 25900, process: 'c1', member: 'c1', generation: 2, event: 'assign', partitions: ['t0-0'] });
  const f = write('double.jsonl', [lines[0], bad, ...lines.slice(1)].join('\n'));
  expect(await run(f)).toBe(1);
  const text = out.join('\n');
  expect(text).toMatch(/single-owner violated: t0-0 assigned to c1 at 25900 ms while c2 still owned it/);
  expect(text).toMatch(/>\s+2 {2}\{"time":25900/);
  // Context: the line before and after are shown.
  expect(text).toMatch(/\s1 {2}\{"time":25891/);
});

test('a zombie (the earlier owner later reports the partition lost) is allowed', async () => {
  const log = [
    { time: 1, process: 'a', event: 'assign', partitions: ['t-0'] },
    { time: 2, process: 'b', event: 'assign', partitions: ['t-0'] },
    { time: 3, process: 'a', event: 'lost', partitions: ['t-0'] },
  ];
  expect(await run(write('zombie.jsonl', log.map((l) => JSON.stringify(l)).join('\n')))).toBe(0);
  expect(out.join('\n')).toMatch(/1 zombie overlap/);
});

test('eager: an assignment on top of what a consumer still owns breaks eager-revoke-all', async () => {
  const log = [
    { time: '2026-12-03T10:00:00.000Z', process: 'a', event: 'assign', partitions: ['t-0'] },
    { time: '2026-12-03T10:00:01.000Z', process: 'a', event: 'assign', partitions: ['t-1'] },
  ];
  const f = write('eager.jsonl', log.map((l) => JSON.stringify(l)).join('\n'));
  expect(await run(f)).toBe(0);
  expect(await run('--protocol', 'eager', f)).toBe(1);
  expect(out.join('\n')).toMatch(/eager-revoke-all violated/);
});

test('a stop line ends what a process owned', async () => {
  const log = [
    { time: 1, process: 'a', event: 'assign', partitions: ['t-0'] },
    { time: 2, process: 'a', event: 'stop' },
    { time: 3, process: 'b', event: 'assign', partitions: ['t-0'] },
  ];
  expect(await run(write('stop.jsonl', log.map((l) => JSON.stringify(l)).join('\n')))).toBe(0);
});

test('malformed lines: one clear error naming the line, exit 2', async () => {
  const good = JSON.stringify({ time: 1, process: 'a', event: 'assign', partitions: ['t-0'] });
  const cases: [string, RegExp][] = [
    [`${good}\n{not json`, /bad\.jsonl:2: not a JSON object: \{not json/],
    [`${good}\n${JSON.stringify({ time: 2, process: 'a', event: 'grab', partitions: [] })}`, /bad\.jsonl:2: field "event"/],
    [JSON.stringify({ process: 'a', event: 'assign', partitions: [] }), /bad\.jsonl:1: field "time"/],
    [JSON.stringify({ time: 'yesterday', process: 'a', event: 'assign' }), /bad\.jsonl:1: field "time": not an ISO-8601 time/],
    [JSON.stringify({ time: 1, process: 'a', event: 'assign', partitions: 't-0' }), /bad\.jsonl:1: field "partitions"/],
    [JSON.stringify({ time: 1, process: 'a', event: 'assign', partition: ['t-0'] }), /bad\.jsonl:1: line: .*partition/i],
  ];
  for (const [text, message] of cases) {
    expect(await run(write('bad.jsonl', text))).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  }
  expect(await run(join(dir, 'missing.jsonl'))).toBe(2);
  expect(err[0]).toMatch(/cannot read .*missing\.jsonl: ENOENT/);
  expect(await run('--protocol', 'sticky', `${fixtures}/cooperative-kafka-java.jsonl`)).toBe(2);
  expect(err[0]).toMatch(/unknown protocol "sticky"/);
});
