import pc from 'picocolors';
import { session } from '../run/config.ts';
import { findVariant } from '../variants/catalogue.ts';
import { CounterexampleError, type Counterexample } from '../replay/counterexample.ts';
import { replayStored } from '../replay/replay.ts';
import type { Choice, ChoiceKind } from '../world/types.ts';
import { initialWorld, step } from '../world/world.ts';
import { KafkaBroker } from './broker.ts';
import { formatResult, invariantsOf, runScenario, type ScenarioResult } from './conformance.ts';
import type { RealClient } from './ipc.ts';
import { kafkaVersion, missingKafka } from './kafka-install.ts';
import { realInvariants } from './trace.ts';
import { missingInstall } from './install.ts';
import { BROKERS, type BrokerKind, brokerTimers, defaultTiming, FIRST_COORDINATOR, type Action, type Scenario } from './scenario.ts';

// replay --real: a counterexample's steps on real librdkafka consumers. Process and
// coordinator faults map onto real actions; the network and the timers are the real client's
// own (its messages are delivered and its timers fire by themselves); faults with no real
// counterpart make the file unplayable, said in one line.

/** Steps the real client takes by itself. */
const OWN: ChoiceKind[] = ['deliver', 'fire', 'metadata', 'process', 'commit', 'callback'];
/** Steps with a real counterpart. */
const MAPPED: ChoiceKind[] = ['start', 'close', 'crash', 'cut', 'heal', 'failover', 'stall', 'resume', 'addPartition'];
/** Longest real wait between two mapped steps. */
const MAX_GAP_MS = 10_000;

export interface RealReplayPlan {
  scenario: Scenario;
  notes: string[];
}

export interface RealTarget {
  broker: BrokerKind;
  client: RealClient;
}

export function planRealReplay(
  cx: Counterexample,
  file: string,
  target: RealTarget = { broker: 'mock', client: 'librdkafka' },
): RealReplayPlan {
  const notes: string[] = [];
  const kafka = target.broker === 'kafka';
  const cannot = (why: string) =>
    new CounterexampleError(`${file}: cannot replay on ${target.client} on ${kafka ? 'Kafka' : 'the mock'}: ${why}`);
  if (cx.config.upgrade) throw cannot('rolling upgrades are not driven on the real client');
  const topics = Object.entries(cx.config.topics);
  if (topics.length !== 1) throw cannot(`only one topic is supported (the file has ${topics.length})`);
  const unmappable = cx.choices.map((c, i) => [i + 1, c.kind] as const).filter(([, k]) => !OWN.includes(k) && !MAPPED.includes(k));
  if (unmappable.length > 0) {
    throw cannot(
      `step${unmappable.length > 1 ? 's' : ''} ${unmappable.map(([i, k]) => `${i} (${k})`).join(', ')} ha${unmappable.length > 1 ? 've' : 's'} no real counterpart (mapped: ${MAPPED.join(', ')}; left to the real client: ${OWN.join(', ')})`,
    );
  }
  const kinds = new Set(cx.choices.map((c) => c.kind));
  if (kinds.has('stall') && target.client !== 'java')
    throw cannot('a stalled poll loop is driven on the Java consumer only (--client java)');
  if (kinds.has('addPartition') && !kafka) throw cannot('adding partitions is driven on the real broker only (--real kafka)');
  if (kinds.has('failover') && kafka) throw cannot('a coordinator failover needs several brokers (--real mock)');
  if (cx.config.static && !kafka && target.client === 'librdkafka')
    notes.push('static members restart with the same group.instance.id; the mock keeps static members as it keeps any other');
  // librdkafka's cooperative-sticky always rebalances COOPERATIVELY and it has no eager sticky.
  // The Java client has all four (range, roundrobin, sticky eagerly; cooperative-sticky).
  let assignor = cx.assignor;
  if (target.client === 'java') {
    if (cx.protocol === 'cooperative' && assignor !== 'cooperative-sticky') {
      notes.push(`the Java client rebalances cooperatively only with cooperative-sticky: the real consumers use it instead of ${assignor}`);
      assignor = 'cooperative-sticky';
    }
  } else if (cx.protocol === 'eager' && !['range', 'roundrobin'].includes(assignor)) {
    notes.push(`librdkafka has no eager ${assignor}: the real consumers use range`);
    assignor = 'range';
  } else if (cx.protocol === 'cooperative' && assignor !== 'cooperative-sticky') {
    notes.push(`librdkafka rebalances cooperatively only with cooperative-sticky: the real consumers use it instead of ${assignor}`);
    assignor = 'cooperative-sticky';
  }
  // The virtual time of every step, from the model's own replay of the file.
  const variant = cx.variant === null ? undefined : findVariant(cx.variant);
  if (cx.variant !== null && !variant) throw new CounterexampleError(`${file}: unknown variant "${cx.variant}"`);
  const s = session(cx.config, variant, false);
  const { choices } = replayStored(s, cx.choices, file);
  const times: number[] = [];
  let w = initialWorld(cx.config, s.model);
  for (const c of choices) {
    w = step(w, c, cx.config, s.model);
    times.push(w.now);
  }
  // Real timers are shorter than the model's: gaps shrink in the same ratio.
  const scale = defaultTiming.sessionTimeoutMs / cx.config.timers.sessionTimeoutMs;
  const proc = new Map<string, string>();
  for (let i = 1; i <= cx.config.members; i++) proc.set(`c${i}`, `c${i}`);
  let started = cx.config.members;
  let coordinator = FIRST_COORDINATOR;
  let last = 0;
  const steps: Scenario['steps'] = [];
  const stalledAt = new Map<string, number>();
  let grown = topics[0][1];
  const dead = new Set<string>();
  choices.forEach((c: Choice, i) => {
    let action: Action | undefined;
    switch (c.kind) {
      case 'start':
        // A static member comes back under its instance id (the same process name); any other
        // start is a new consumer process.
        if (cx.config.static && dead.has(c.client)) {
          action = { kind: 'restart', member: proc.get(c.client)! };
          dead.delete(c.client);
          break;
        }
        proc.set(c.client, `c${++started}`);
        action = { kind: 'join' };
        break;
      case 'stall':
        // The real poll loop sleeps until the model's resume (or the run's end): one action.
        stalledAt.set(c.client, i);
        return;
      case 'resume': {
        const from = stalledAt.get(c.client) ?? i;
        stalledAt.delete(c.client);
        action = { kind: 'stall', member: proc.get(c.client)!, ms: Math.max(1, Math.round((times[i] - times[from]) * scale)) };
        break;
      }
      case 'addPartition':
        grown++;
        action = { kind: 'addPartitions', partitions: grown };
        break;
      case 'close':
        action = { kind: 'leave', member: proc.get(c.client)! };
        break;
      case 'crash':
        if (cx.config.static) dead.add(c.client);
        action = { kind: c.kind, member: proc.get(c.client)! };
        break;
      case 'cut':
      case 'heal':
        action = { kind: c.kind, member: proc.get(c.client)! };
        break;
      case 'failover':
        coordinator = 1 + (coordinator % BROKERS);
        action = { kind: 'coordinatorMove', broker: coordinator };
        break;
    }
    if (!action) return;
    steps.push({ settle: false, gapMs: Math.min(MAX_GAP_MS, Math.round((times[i] - last) * scale)), action });
    last = times[i];
  });
  const own = cx.choices.filter((c) => OWN.includes(c.kind)).length;
  if (own > 0)
    notes.push(
      `${own} step${own > 1 ? 's' : ''} (deliveries, timers, metadata, processing, commits) left to the real client, which does them by itself`,
    );
  if (cx.variant) notes.push(`the real run is compared with the model without the variant`);
  const scenario: Scenario = {
    name: `replay ${cx.violation.invariant}`,
    protocol: cx.protocol,
    assignor,
    partitions: topics[0][1],
    initial: cx.config.members,
    steps,
    timing: defaultTiming,
    static: cx.config.static,
  };
  // A stall never resumed lasts past max.poll.interval.ms.
  for (const [client] of stalledAt)
    steps.push({
      settle: false,
      gapMs: 0,
      action: { kind: 'stall', member: proc.get(client)!, ms: defaultTiming.maxPollIntervalMs + 1000 },
    });
  return { scenario, notes };
}

/** Runs the plan on the real client and prints what happened; exit 1 if an invariant failed on the real trace. */
export async function replayReal(
  cx: Counterexample,
  file: string,
  target: RealTarget = { broker: 'mock', client: 'librdkafka' },
): Promise<number> {
  const plan = planRealReplay(cx, file, target);
  const kafka = target.broker === 'kafka';
  if (!kafka && target.client === 'java')
    throw new CounterexampleError('the mock cluster runs librdkafka consumers only (--real kafka for the Java consumer)');
  const why = (target.client === 'librdkafka' ? missingInstall() : null) ?? (kafka ? missingKafka() : null);
  if (why) throw new CounterexampleError(why);
  const where = `${target.client} on ${kafka ? `Kafka ${kafkaVersion()}` : 'the mock'}`;
  console.log(
    `${file}: the model${cx.variant ? ` (variant ${cx.variant})` : ''} violated ${pc.bold(cx.violation.invariant)}: ${cx.violation.message}`,
  );
  for (const n of plan.notes) console.log(`  note: ${n}`);
  if (!realInvariants.some((i) => i.id === cx.violation.invariant)) {
    console.log(
      `  note: ${cx.violation.invariant} is not observable from rebalance callbacks; the real trace is judged by ${invariantsOf(
        plan.scenario,
      )
        .map((i) => i.id)
        .join(', ')}`,
    );
  }
  let broker: KafkaBroker | undefined;
  let r: ScenarioResult;
  try {
    if (kafka) broker = await KafkaBroker.start(brokerTimers(defaultTiming), 5);
    r = await runScenario(plan.scenario, { client: target.client, kafka: broker });
  } finally {
    await broker?.stop();
  }
  console.log(formatResult(r, true));
  const failed = r.judgement.violations.map((v) => v.invariant);
  console.log(
    failed.length === 0
      ? `${pc.green('✓')} on ${where} every invariant held: the model's failure did not reproduce`
      : `${pc.red('✗')} on ${where}: ${failed.join(', ')} violated${failed.includes(cx.violation.invariant) ? ' (the same invariant as the model)' : ''}`,
  );
  return failed.length === 0 ? 0 : 1;
}
