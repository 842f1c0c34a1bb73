import { oddOneOut, type Verdict } from './conformance.ts';
import { describe, expect, test } from 'vitest';
import type { RealEvent, RealRun } from './real.ts';
import { defaultTiming, generateScenarios, type Scenario } from './scenario.ts';
import { judge, realInvariants } from './trace.ts';
import { runModel } from './compare.ts';
import { planRealReplay } from './replay-real.ts';
import { readCounterexample } from '../replay/counterexample.ts';
import { main } from '../cli/main.ts';

// The invariants on real traces, each shown able to fail on a broken trace, and the scenario
// generator and model side of the comparison (no real client needed).

const scenario = (protocol: Scenario['protocol'], partitions = 2): Scenario => ({
  name: 't',
  protocol,
  partitions,
  initial: 2,
  steps: [],
  timing: defaultTiming,
});
const run = (s: Scenario, events: RealEvent[], quiet = true): RealRun => ({ scenario: s, events, quiet, notes: [], wallMs: 0 });
let seq = 0;
const start = (t: number, member: string): RealEvent => ({ t, member, kind: 'start' });
const assign = (t: number, member: string, partitions: string[]): RealEvent => ({
  t,
  member,
  kind: 'assign',
  partitions,
  lost: false,
  seq: seq++,
});
const revoke = (t: number, member: string, partitions: string[], lost = false): RealEvent => ({
  t,
  member,
  kind: 'revoke',
  partitions,
  lost,
  seq: seq++,
});
const ids = (r: RealRun) => judge(r).violations.map((v) => v.invariant);

describe('invariants on real traces', () => {
  const good = [start(0, 'c1'), start(0, 'c2'), assign(10, 'c1', ['t0-0', 't0-1']), revoke(20, 'c1', ['t0-1']), assign(30, 'c2', ['t0-1'])];

  test('a clean cooperative handover holds every invariant', () => {
    expect(ids(run(scenario('cooperative'), good))).toEqual([]);
  });

  test('every real invariant has a broken trace that violates it', () => {
    const broken: Record<string, RealRun> = {
      'single-owner': run(scenario('eager'), [
        start(0, 'c1'),
        start(0, 'c2'),
        assign(10, 'c1', ['t0-0']),
        assign(20, 'c2', ['t0-0', 't0-1']),
        revoke(30, 'c1', ['t0-0']),
      ]),
      'eager-revoke-all': run(scenario('eager'), [
        start(0, 'c1'),
        start(0, 'c2'),
        assign(10, 'c1', ['t0-0', 't0-1']),
        revoke(20, 'c1', ['t0-1']),
        assign(30, 'c2', ['t0-1']),
      ]),
      'revoke-before-reassign': run(scenario('cooperative'), [
        start(0, 'c1'),
        start(0, 'c2'),
        assign(10, 'c1', ['t0-0']),
        assign(20, 'c1', ['t0-0', 't0-1']),
        revoke(30, 'c1', ['t0-0']),
        assign(40, 'c2', ['t0-0']),
      ]),
      'stable-coverage': run(scenario('consumer'), [start(0, 'c1'), start(0, 'c2'), assign(10, 'c1', ['t0-0']), assign(10, 'c2', [])]),
      'idle-only-when-outnumbered': run(scenario('consumer'), [
        start(0, 'c1'),
        start(0, 'c2'),
        assign(10, 'c1', ['t0-0', 't0-1']),
        assign(10, 'c2', []),
      ]),
      'eventually-stable': run(scenario('consumer'), good, false),
    };
    expect(Object.keys(broken).sort()).toEqual(realInvariants.map((i) => i.id).sort());
    for (const [id, r] of Object.entries(broken)) expect(ids(r), id).toContain(id);
  });

  test('a zombie overlap (the earlier owner gives the partition up as lost) is reported, not a violation', () => {
    const r = run(scenario('cooperative', 1), [
      start(0, 'c1'),
      start(0, 'c2'),
      assign(10, 'c1', ['t0-0']),
      assign(20, 'c2', ['t0-0']),
      revoke(30, 'c1', ['t0-0'], true),
    ]);
    const j = judge(r);
    expect(j.violations).toEqual([]);
    expect(j.zombieOverlaps).toHaveLength(1);
  });

  test('a crashed process owns nothing', () => {
    const r = run(scenario('eager', 1), [
      start(0, 'c1'),
      start(0, 'c2'),
      assign(10, 'c1', ['t0-0']),
      { t: 20, member: 'c1', kind: 'crash' },
      assign(30, 'c2', ['t0-0']),
    ]);
    expect(ids(r)).toEqual([]);
  });
});

describe('scenarios', () => {
  test('generation is a function of the seed and covers the three protocols', () => {
    const a = generateScenarios(7, 7);
    expect(generateScenarios(7, 7)).toEqual(a);
    expect(a).toHaveLength(21);
    expect(new Set(a.map((s) => s.protocol))).toEqual(new Set(['eager', 'cooperative', 'consumer']));
    // Every leave or crash names a consumer that is live at that point.
    for (const s of a) {
      const live = new Set(Array.from({ length: s.initial }, (_, i) => `c${i + 1}`));
      let n = s.initial;
      for (const st of s.steps) {
        if (st.action.kind === 'join') live.add(`c${++n}`);
        if (st.action.kind === 'leave' || st.action.kind === 'crash') {
          expect(live.has(st.action.member), `${s.name} ${st.action.kind} ${st.action.member}`).toBe(true);
          live.delete(st.action.member);
        }
      }
    }
  });

  test('the model runs the same scenario: a later join and a crash, settled, with range', () => {
    const s: Scenario = {
      ...scenario('eager', 4),
      steps: [
        { settle: true, gapMs: 0, action: { kind: 'join' } },
        { settle: true, gapMs: 0, action: { kind: 'crash', member: 'c1' } },
      ],
    };
    const out = runModel(s)!;
    expect(out.stable).toBe(true);
    expect(out.final).toEqual({ c2: ['t0-0', 't0-1'], c3: ['t0-2', 't0-3'] });
    expect(runModel({ ...s, protocol: 'consumer' })).toBeNull();
  });
});

describe('replay --real planning', () => {
  // Fixed copies of corpus files: the plans below depend on their exact steps.
  const corpus = 'src/conformance/fixtures';

  test('starts, closes and failovers map onto real actions; deliveries and timers are left to the client', () => {
    const file = `${corpus}/commit-any-generation-commit-formation-0bf39412.json`;
    const plan = planRealReplay(readCounterexample(file), file);
    expect(plan.scenario.steps.map((s) => s.action.kind)).toEqual(['coordinatorMove', 'leave']);
    expect(plan.scenario.assignor).toBe('range');
    expect(plan.notes.join(' ')).toMatch(/29 steps .* left to the real client/);
  });

  test('stalls and added partitions map onto the Java consumer on the real broker', () => {
    const file = `${corpus}/lopsided-range-balanced-when-stable-28072366.json`;
    const plan = planRealReplay(readCounterexample(file), file, { broker: 'kafka', client: 'java' });
    expect(plan.scenario.steps.map((s) => s.action.kind)).toEqual(['addPartitions', 'addPartitions', 'stall']);
    expect(plan.scenario.steps.at(-1)?.action).toMatchObject({ kind: 'stall', member: 'c1' });
  });

  test('steps a target cannot drive are refused in one line, exit 2', async () => {
    const file = `${corpus}/lopsided-range-balanced-when-stable-28072366.json`;
    expect(() => planRealReplay(readCounterexample(file), file)).toThrow(
      /cannot replay on librdkafka on the mock: a stalled poll loop is driven on the Java consumer only/,
    );
    expect(() => planRealReplay(readCounterexample(file), file, { broker: 'mock', client: 'java' })).toThrow(
      /adding partitions is driven on the real broker only/,
    );
    const errors: string[] = [];
    const orig = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await main(['node', 'rebalance-check', 'replay', '--real', 'mock', file])).toBe(2);
      expect(await main(['node', 'rebalance-check', 'replay', '--real', 'cloud', file])).toBe(2);
      expect(await main(['node', 'rebalance-check', 'replay', '--client', 'java', file])).toBe(2);
    } finally {
      console.error = orig;
    }
    expect(errors).toHaveLength(3);
    expect(errors[1]).toMatch(/unknown broker "cloud"/);
    expect(errors[2]).toMatch(/--client needs --real/);
    for (const e of errors) expect(e).not.toContain('\n');
  });
});

describe('the odd one out of the --broker kafka table', () => {
  const v = (final: Record<string, string[]>, violated: string[] = [], stable = true): Verdict => ({
    violated,
    outcome: { final, stable, gains: 0 },
  });
  const even = v({ a: ['t0-0'], b: ['t0-1'] });

  test('all agree up to member names: none', () => {
    expect(oddOneOut({ model: even, 'kafka/java': v({ x: ['t0-1'], y: ['t0-0'] }), 'mock/librdkafka': even })).toBe('-');
  });

  test('a violated invariant or another final assignment singles one column out', () => {
    expect(
      oddOneOut({ model: null, 'kafka/java': even, 'kafka/librdkafka': even, 'mock/librdkafka': v(even.outcome.final, ['single-owner']) }),
    ).toBe('mock/librdkafka');
    expect(oddOneOut({ model: v({ a: ['t0-0', 't0-1'], b: [] }), 'kafka/java': even, 'mock/librdkafka': even })).toBe('model');
    expect(oddOneOut({ model: even, 'kafka/java': v(even.outcome.final, [], false), 'mock/librdkafka': even })).toBe('kafka/java');
  });

  test('no majority, or only two columns: mixed', () => {
    expect(oddOneOut({ model: even, 'kafka/java': v({ a: ['t0-0', 't0-1'] }), 'mock/librdkafka': v({ a: [] }) })).toBe('mixed');
    expect(oddOneOut({ model: even, 'kafka/java': v({ a: ['t0-0', 't0-1'] }) })).toBe('mixed');
  });
});
