import { describe, expect, test } from 'vitest';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { range } from '../../models/assignors/range.ts';
import { roundrobin } from '../../models/assignors/roundrobin.ts';
import { sticky } from '../../models/assignors/sticky.ts';
import type { AssignOutput } from '../../models/assignors/types.ts';
import { checkAssignor, type AssignorReport } from './check.ts';
import type { UserAssignor } from './types.ts';

const opts = { runs: 100, modelRuns: 10 };
const statusOf = (r: AssignorReport, id: string) => r.results.find((p) => p.id === id)!.status;
const failing = (r: AssignorReport) => r.results.filter((p) => p.status === 'fails').map((p) => p.id);

describe('the built-in assignors keep every property they claim', () => {
  test.each(Object.values(builtinAssignors))('$name', (a) => {
    const r = checkAssignor(a, opts);
    expect(failing(r)).toEqual([]);
    const claimed = r.results.filter((p) => p.status === 'holds').map((p) => p.id);
    expect(claimed).toContain('exactly-once');
    if (a.supportedProtocols.includes('cooperative')) expect(claimed).toContain('cooperative-in-model');
    if (a.sticky) expect(claimed).toContain('sticky-no-change-no-move');
  });
});

// Every property is shown able to fail, by a broken assignor that breaks it.
const sorted = (out: AssignOutput): AssignOutput => Object.fromEntries(Object.entries(out).map(([m, ps]) => [m, [...ps].sort()]));
let calls = 0;
const broken: [string, UserAssignor, string[]][] = [
  [
    'drops the last partition',
    {
      ...range,
      assign: (i) => {
        const o = range.assign(i);
        const all = Object.values(o).flat().sort();
        return Object.fromEntries(Object.entries(o).map(([m, ps]) => [m, ps.filter((p) => p !== all[all.length - 1])]));
      },
    },
    ['exactly-once'],
  ],
  [
    'ignores subscriptions',
    {
      name: 'deal-all',
      assign: (i) => {
        const ms = Object.keys(i.subscriptions).sort();
        const o: AssignOutput = Object.fromEntries(ms.map((m) => [m, []]));
        Object.keys(i.topics)
          .sort()
          .flatMap((t) => Array.from({ length: i.topics[t] }, (_, p) => `${t}-${p}`))
          .forEach((p, k) => o[ms[k % ms.length]].push(p));
        return o;
      },
    },
    ['subscribers-only'],
  ],
  ['range claiming global balance', { ...range, balance: 'global' }, ['balanced']],
  ['roundrobin claiming stickiness', { ...roundrobin, sticky: true }, ['sticky-keeps-owned']],
  [
    'sticky that shuffles when nothing changed',
    {
      ...sticky,
      assign: (i) => {
        const o = sticky.assign(i);
        const owned = Object.values(i.subscriptions).some((s) => s.ownedPartitions.length > 0 && s.generationId >= 0);
        const ms = Object.keys(o).sort();
        return owned && ms.length > 1 ? Object.fromEntries(ms.map((m, k) => [m, o[ms[(k + 1) % ms.length]]])) : o;
      },
    },
    ['sticky-no-change-no-move'],
  ],
  [
    'sticky that cannot tell a stale claim from a current one (every generation -1)',
    {
      ...sticky,
      assign: (i) =>
        sticky.assign({
          topics: i.topics,
          subscriptions: Object.fromEntries(Object.entries(i.subscriptions).map(([m, s]) => [m, { ...s, generationId: -1 }])),
        }),
    },
    ['sticky-newest-claim'],
  ],
  [
    'roundrobin claiming COOPERATIVE',
    { ...roundrobin, supportedProtocols: ['eager', 'cooperative'] },
    ['cooperative-no-direct-move', 'cooperative-in-model'],
  ],
  [
    'cooperative, revokes everything every round',
    {
      name: 'churn',
      supportedProtocols: ['cooperative'],
      assign: (i) => {
        const o = roundrobin.assign(i);
        return Object.fromEntries(
          Object.entries(o).map(([m, ps]) => [
            m,
            ps.filter((p) => !Object.values(i.subscriptions).some((s) => s.ownedPartitions.includes(p))),
          ]),
        );
      },
    },
    ['cooperative-settles'],
  ],
  [
    'counts its calls',
    { ...range, assign: (i) => (calls++ % 2 === 0 ? range.assign(i) : sorted(roundrobin.assign(i))) },
    ['deterministic'],
  ],
  [
    'deals in listing order',
    {
      name: 'unsorted',
      assign: (i) => {
        const ms = Object.keys(i.subscriptions);
        const o: AssignOutput = Object.fromEntries(ms.map((m) => [m, []]));
        const ps = Object.keys(i.topics)
          .sort()
          .flatMap((t) => Array.from({ length: i.topics[t] }, (_, p) => `${t}-${p}`));
        let k = 0;
        for (const p of ps) {
          const t = p.slice(0, p.lastIndexOf('-'));
          const subs = ms.filter((m) => i.subscriptions[m].topics.includes(t));
          if (subs.length) o[subs[k++ % subs.length]].push(p);
        }
        return o;
      },
    },
    ['member-order-irrelevant'],
  ],
];

describe('each property catches an assignor that breaks it', () => {
  test.each(broken)('%s', (_, a, expected) => {
    // The protocol model runs only where it is the property under test (its shrinking is slow).
    const r = checkAssignor(a, { ...opts, modelRuns: expected.includes('cooperative-in-model') ? 5 : 0 });
    for (const id of expected) expect(statusOf(r, id), id).toBe('fails');
    expect(r.ok).toBe(false);
  });
});

describe('robustness: bad outputs and calls are reported with the input, not crashed on', () => {
  test.each([
    ['unknown member', () => ({ ghost: ['t0-0'] }), 'unknown member "ghost"'],
    [
      'unknown partition',
      (i: { subscriptions: object }) => Object.fromEntries(Object.keys(i.subscriptions).map((m) => [m, ['t0-99']])),
      'unknown partition t0-99',
    ],
    [
      'not a list',
      (i: { subscriptions: object }) => Object.fromEntries(Object.keys(i.subscriptions).map((m) => [m, 't0-0'])),
      'not a list of partitions',
    ],
    [
      'not a partition',
      (i: { subscriptions: object }) => Object.fromEntries(Object.keys(i.subscriptions).map((m) => [m, [0]])),
      'not a partition like "topic-0"',
    ],
    ['null', () => null, 'returned null'],
    [
      'throws',
      () => {
        throw new TypeError('boom');
      },
      'threw TypeError: boom',
    ],
    ['async in this thread', async () => ({}), 'returned a Promise'],
  ])('%s', (_, assign, message) => {
    const r = checkAssignor({ name: 'bad', assign: assign as never }, { runs: 20 });
    const wf = r.results[0];
    expect(wf.status).toBe('fails');
    expect(wf.counterexample!.failure.message).toContain(message);
    expect(Object.keys(wf.counterexample!.input.subscriptions).length).toBeGreaterThan(0);
    expect(r.results.filter((p) => p.status === 'not-checked').length).toBeGreaterThan(0);
  });

  test('a duplicated partition is an exactly-once finding, shrunk to one topic of one partition and two members', () => {
    const r = checkAssignor(
      { name: 'dup', assign: (i) => Object.fromEntries(Object.keys(i.subscriptions).map((m) => [m, i.topics.t0 > 0 ? ['t0-0'] : []])) },
      { runs: 100 },
    );
    const cx = r.results.find((p) => p.id === 'exactly-once')!.counterexample!;
    expect(cx.failure.message).toBe('t0-0 is assigned to m0 and m1');
    expect(Object.keys(cx.input.subscriptions)).toEqual(['m0', 'm1']);
    expect(cx.input.topics).toEqual({ t0: 1 });
  });
});

describe('a file runs in a worker thread', () => {
  test('an endless assign is cut off at the time limit, the worker replaced, and shrinking kept to the budget', () => {
    const started = performance.now();
    const r = checkAssignor('examples/bad-assignors/endless.ts', { runs: 10, timeoutMs: 150, budgetMs: 2500 });
    const wf = r.results[0];
    expect(wf.counterexample!.failure.message).toBe('assign did not return within 150 ms');
    expect(Object.keys(wf.counterexample!.input.subscriptions).length).toBeGreaterThanOrEqual(3); // it loops from three members
    expect(wf.interrupted).toBe(true);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  test("kafkajs's roundRobin assigner: what the checks find", () => {
    const r = checkAssignor('adapters/kafkajs-roundrobin.ts', { runs: 100 });
    expect(r.assignor).toMatchObject({ name: 'kafkajs-roundrobin', supportedProtocols: ['eager'], balance: 'global' });
    // It deals every partition of the group's topics over all members in turn, whatever each
    // member subscribed to: with different subscriptions a member gets a topic it did not ask for.
    expect(failing(r)).toEqual(['subscribers-only']);
    const cx = r.results.find((p) => p.id === 'subscribers-only')!.counterexample!;
    expect(Object.keys(cx.input.subscriptions)).toHaveLength(2);
    const [m, p] = cx.failure.message.match(/^(\S+) is given (\S+) but is not subscribed/)!.slice(1);
    expect(cx.input.subscriptions[m].topics).not.toContain(p.slice(0, p.lastIndexOf('-')));
    for (const id of ['well-formed', 'exactly-once', 'balanced', 'deterministic', 'member-order-irrelevant'])
      expect(statusOf(r, id), id).toBe('holds');
  });
});
