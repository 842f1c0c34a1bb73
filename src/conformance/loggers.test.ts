import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { rebalanceLogger } from '../../examples/loggers/kafka-javascript-rebalance-log.ts';
import { logRebalances } from '../../examples/loggers/kafkajs-rebalance-log.ts';
import { parseLog, validateLog } from './trace-log.ts';

// The ready-to-paste loggers of docs/validate.md write what validate reads. The Java one runs
// inside the real Java consumer in src/conformance/kafka.test.ts; the two JavaScript ones are
// driven here with the events their libraries emit.

test('kafkajs: each GROUP_JOIN writes a revoke of the previous assignment at the join’s start, then the assignment', () => {
  const lines: string[] = [];
  const handlers = new Map<string, (e: { timestamp: number; payload: Record<string, unknown> }) => void>();
  const events = { GROUP_JOIN: 'consumer.group_join', STOP: 'consumer.stop', CRASH: 'consumer.crash' };
  logRebalances({ events, on: (e, fn) => handlers.set(e, fn) }, (l) => lines.push(l), 'host:1');
  const join = handlers.get(events.GROUP_JOIN)!;
  join({ timestamp: 1000, payload: { memberId: 'm1', duration: 20, memberAssignment: { orders: [0, 1] } } });
  join({ timestamp: 2000, payload: { memberId: 'm1', duration: 50, memberAssignment: { orders: [1] } } });
  handlers.get(events.STOP)!({ timestamp: 3000, payload: {} });
  const log = parseLog(lines.join('\n'), 'kafkajs');
  expect(log.lines.map((l) => [l.time, l.event, l.partitions])).toEqual([
    [1000, 'assign', ['orders-0', 'orders-1']],
    [1950, 'revoke', ['orders-0', 'orders-1']],
    [2000, 'assign', ['orders-1']],
    [3000, 'stop', []],
  ]);
  expect(validateLog(log, 'eager').judgement.violations).toEqual([]);
});

test('librdkafka rebalance_cb: logs and assigns (incrementally when cooperative), a lost revoke as lost', () => {
  const lines: string[] = [];
  const calls: string[] = [];
  const consumer = (protocol: string, lost: boolean) => ({
    assign: () => calls.push('assign'),
    unassign: () => calls.push('unassign'),
    incrementalAssign: () => calls.push('incrementalAssign'),
    incrementalUnassign: () => calls.push('incrementalUnassign'),
    assignmentLost: () => lost,
    rebalanceProtocol: () => protocol,
  });
  const cb = rebalanceLogger((l) => lines.push(l), 'host:2');
  const tps = [{ topic: 'orders', partition: 3 }];
  cb.call(consumer('COOPERATIVE', false), { code: -175 }, tps);
  cb.call(consumer('COOPERATIVE', true), { code: -174 }, tps);
  cb.call(consumer('EAGER', false), { code: -175 }, tps);
  cb.call(consumer('EAGER', false), { code: -174 }, tps);
  expect(calls).toEqual(['incrementalAssign', 'incrementalUnassign', 'assign', 'unassign']);
  const log = parseLog(lines.join('\n'), 'librdkafka');
  expect(log.lines.map((l) => [l.process, l.event, l.partitions])).toEqual([
    ['host:2', 'assign', ['orders-3']],
    ['host:2', 'lost', ['orders-3']],
    ['host:2', 'assign', ['orders-3']],
    ['host:2', 'revoke', ['orders-3']],
  ]);
});

test('docs/validate.md carries each logger verbatim', () => {
  const doc = readFileSync('docs/validate.md', 'utf8');
  for (const f of ['RebalanceLog.java', 'kafkajs-rebalance-log.ts', 'kafka-javascript-rebalance-log.ts'])
    expect(doc, f).toContain(readFileSync(`examples/loggers/${f}`, 'utf8').trim());
});
