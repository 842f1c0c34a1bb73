import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KafkaBroker } from './broker.ts';
import { runScenario } from './conformance.ts';
import { missingInstall } from './install.ts';
import { missingKafka } from './kafka-install.ts';
import { brokerTimers, defaultTiming, type Scenario } from './scenario.ts';
import { resubscribeScenario } from './resubscribe.ts';
import { staticLeaderScenario } from './static-leader.ts';
import { strandedScenario } from './stranded.ts';
import { parseLog, runToLog, validateLog } from './trace-log.ts';

// A short seeded subset of `npm run conformance -- --broker kafka`: a real Apache Kafka broker
// (KRaft, one node) with the real Java consumer and librdkafka. CI installs Kafka (.ci/run runs
// `npm run kafka:install`) and must run these: without the install they fail there. Locally,
// without the install, they are skipped with the reason printed.

const missing = missingKafka();
if (missing && process.env.CI) throw new Error(`real-broker conformance tests cannot run in CI: ${missing}`);
if (missing) console.warn(`skipping real-broker conformance tests: ${missing}`);
const noRdkafka = missingInstall();

const scenario = (name: string, protocol: Scenario['protocol'], steps: Scenario['steps']): Scenario => ({
  name,
  protocol,
  partitions: 4,
  initial: 2,
  steps,
  timing: defaultTiming,
});

describe.skipIf(missing !== null)('real consumers on a real Kafka broker', () => {
  let broker: KafkaBroker;
  const logDir = mkdtempSync(join(tmpdir(), 'rc-java-log-'));
  beforeAll(async () => {
    broker = await KafkaBroker.start(brokerTimers(defaultTiming), 3);
  }, 120_000);
  afterAll(async () => {
    await broker?.stop();
  }, 30_000);

  test('Java, eager range: a third consumer joins; same final assignment as the model; the trace is a valid log', {
    timeout: 90_000,
  }, async () => {
    const r = await runScenario(scenario('eager-join', 'eager', [{ settle: true, gapMs: 0, action: { kind: 'join' } }]), {
      client: 'java',
      kafka: broker,
    });
    const trace = r.steps.map((s) => s.text).join('\n');
    expect(r.judgement.violations, trace).toEqual([]);
    expect(r.run.quiet).toBe(true);
    expect(
      r.comparison.differences.filter((d) => !d.startsWith('assignments received')),
      trace,
    ).toEqual([]);
    // Eager: every member revoked everything before the third one's assignment.
    expect(r.steps.filter((s) => s.event.kind === 'revoke').length).toBeGreaterThanOrEqual(2);
    const log = parseLog(runToLog(r.run), 'run');
    expect(validateLog(log, 'eager').judgement.violations).toEqual([]);
  });

  test('Java, cooperative-sticky: c1’s link is cut past the session timeout; c2 takes everything, c1 loses its share and rejoins after the heal', {
    timeout: 90_000,
  }, async () => {
    const r = await runScenario(
      scenario('cooperative-cut', 'cooperative', [
        { settle: true, gapMs: 0, action: { kind: 'cut', member: 'c1' } },
        { settle: false, gapMs: 4000, action: { kind: 'heal', member: 'c1' } },
      ]),
      { client: 'java', kafka: broker, javaLogDir: logDir },
    );
    const trace = r.steps.map((s) => s.text).join('\n');
    expect(r.judgement.violations, trace).toEqual([]);
    // The ready-to-paste Java logger (examples/loggers/RebalanceLog.java) wrote both consumers'
    // callbacks; validate accepts its log, which has c1's lost partitions in it.
    const logText = readdirSync(logDir)
      .map((f) => readFileSync(join(logDir, f), 'utf8'))
      .join('');
    const log = parseLog(logText, 'RebalanceLog');
    expect(log.lines.some((l) => l.event === 'lost')).toBe(true);
    expect(log.lines.every((l) => l.member && l.generation !== undefined)).toBe(true);
    expect(validateLog(log, 'cooperative').judgement.violations).toEqual([]);
    const cut = r.steps.findIndex((s) => s.event.kind === 'cut');
    const heal = r.steps.findIndex((s) => s.event.kind === 'heal');
    // While cut off, c2 was given c1's partitions: the broker expired c1's session.
    const during = r.steps.slice(cut, heal);
    expect(
      during.some((s) => s.event.kind === 'assign' && s.event.member === 'c2' && s.event.partitions.length > 0),
      trace,
    ).toBe(true);
    // c1 learnt it had been removed: a lost revoke (onPartitionsLost), not a normal one.
    expect(
      r.steps.some((s) => s.event.kind === 'revoke' && s.event.member === 'c1' && s.event.lost),
      trace,
    ).toBe(true);
    expect(r.run.quiet).toBe(true);
    expect(
      Object.values(r.comparison.real.final)
        .map((ps) => ps.length)
        .sort(),
    ).toEqual([2, 2]);
  });

  test('Java, KIP-848: c1’s poll loop stalls past max.poll.interval.ms; it leaves, c2 is reconciled to everything, c1 comes back', {
    timeout: 90_000,
  }, async () => {
    const r = await runScenario(
      scenario('consumer-stall', 'consumer', [
        { settle: true, gapMs: 0, action: { kind: 'stall', member: 'c1', ms: defaultTiming.maxPollIntervalMs + 1500 } },
      ]),
      { client: 'java', kafka: broker },
    );
    const trace = r.steps.map((s) => s.text).join('\n');
    expect(r.judgement.violations, trace).toEqual([]);
    const stall = r.steps.findIndex((s) => s.event.kind === 'stall');
    const after = r.steps.slice(stall);
    // Removed after max.poll.interval.ms, c1 learns it on its next poll: a lost revoke.
    expect(
      after.some((s) => s.event.kind === 'revoke' && s.event.member === 'c1' && s.event.lost),
      trace,
    ).toBe(true);
    // Meanwhile c2 was reconciled to every partition (incrementally: it is given c1's).
    expect(
      after.some((s) => s.owned.c2?.length === 4),
      trace,
    ).toBe(true);
    expect(r.comparison.real.final).toHaveProperty('c1');
  });

  test('Java, cooperative static: c1 is restarted while it revokes t0-1; t0-1 stays unowned, as the model says (docs/fidelity.md)', {
    timeout: 150_000,
  }, async () => {
    const r = await runScenario(strandedScenario(), { client: 'java', kafka: broker });
    const trace = r.steps.map((s) => s.text).join('\n');
    // The restart landed inside the slow onPartitionsRevoked([t0-1]) of the old process.
    expect(
      r.run.notes.filter((n) => n.includes('not seen revoking')),
      trace,
    ).toEqual([]);
    expect(r.run.quiet, trace).toBe(true);
    expect(r.comparison.real.final, trace).toEqual({ c1: ['t0-0'], c2: [] });
    expect(r.comparison.model?.final).toEqual({ c1: ['t0-0'], c2: [] });
    expect(
      r.comparison.differences.filter((d) => !d.startsWith('assignments received')),
      trace,
    ).toEqual([]);
  });

  test('Java, eager range static over two topics: c1 restarts subscribed to t1 too and gets no share of it (KAFKA-12759), as the model says', {
    timeout: 150_000,
  }, async () => {
    const r = await runScenario(resubscribeScenario(), { client: 'java', kafka: broker });
    const trace = r.steps.map((s) => s.text).join('\n');
    expect(r.run.quiet, trace).toBe(true);
    // Before the restart c1 subscribed to t0 alone, so c2 had all of t1; after it, nothing moved.
    expect(r.comparison.real.final, trace).toEqual({ c1: ['t0-0'], c2: ['t0-1', 't1-0', 't1-1'] });
    expect(r.comparison.model?.final).toEqual({ c1: ['t0-0'], c2: ['t0-1', 't1-0', 't1-1'] });
    const restart = r.steps.findIndex((s) => s.event.kind === 'crash');
    expect(
      r.steps.slice(restart).filter((s) => s.event.kind === 'revoke'),
      trace,
    ).toEqual([]);
  });

  test('Java, eager static: a partition added just before the static leader restarts stays unowned (the gap KIP-814 leaves), as the model says', {
    timeout: 150_000,
  }, async () => {
    const r = await runScenario(staticLeaderScenario('eager', 'before'), { client: 'java', kafka: broker });
    const trace = r.steps.map((s) => s.text).join('\n');
    expect(r.run.quiet, trace).toBe(true);
    expect(r.comparison.real.final, trace).toEqual({ c1: ['t0-0'], c2: ['t0-1'] });
    expect(r.comparison.model?.final).toEqual({ c1: ['t0-0'], c2: ['t0-1'] });
  });

  test.skipIf(noRdkafka !== null)(
    'librdkafka, KIP-848 on the real broker: a consumer is killed; the survivor gets everything',
    {
      timeout: 90_000,
    },
    async () => {
      const r = await runScenario(
        scenario('consumer-crash', 'consumer', [{ settle: true, gapMs: 0, action: { kind: 'crash', member: 'c1' } }]),
        {
          client: 'librdkafka',
          kafka: broker,
        },
      );
      expect(r.judgement.violations, r.steps.map((s) => s.text).join('\n')).toEqual([]);
      expect(r.comparison.real.final).toEqual({ c2: ['t0-0', 't0-1', 't0-2', 't0-3'] });
    },
  );
});
