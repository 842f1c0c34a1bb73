import { partitionsOf, sortedUnique } from '../../models/types.ts';
import type { RealEvent, RealRun } from './real.ts';
import { describeAction, TOPIC, topicNames } from './scenario.ts';

// The real run as a trace in our terms: one step per event, with every process's ownership
// after it. Invariants on real traces read these steps.

export interface RealStep {
  /** ms since the scenario started. */
  t: number;
  event: RealEvent;
  text: string;
  /** Live processes (started, not crashed or closed) and what each owns after the event. */
  owned: Record<string, string[]>;
}

/**
 * A zombie, as Kafka allows: the earlier owner had already been removed from the group (its
 * session or join phase expired at the coordinator) and learns it later, giving the partition
 * up with a *lost* revoke. Kafka fences its commits, not its fetching.
 */
function isZombie(steps: RealStep[], from: number, member: string, p: string): boolean {
  for (let j = from + 1; j < steps.length; j++) {
    const e = steps[j].event;
    if (e.kind === 'revoke' && e.member === member && e.partitions.includes(p)) return e.lost;
    if ((e.kind === 'crash' || e.kind === 'closed' || e.kind === 'exit') && e.member === member) return false;
  }
  return false;
}

export function describeEvent(e: RealEvent): string {
  switch (e.kind) {
    case 'assign':
    case 'revoke':
      return `${e.member} ${e.kind}${e.lost ? ' (lost)' : ''} [${e.partitions.join(',')}]`;
    case 'start':
    case 'ready':
    case 'leave':
    case 'closed':
    case 'crash':
    case 'exit':
    case 'cut':
    case 'heal':
    case 'stall':
    case 'subscribe':
      return `${e.member} ${e.kind}`;
    case 'addPartitions':
      return `partitions -> ${e.partitions}`;
    case 'brokerDown':
    case 'brokerUp':
      return `broker ${e.broker}${e.coordinator ? ' (coordinator)' : ''} ${e.kind === 'brokerDown' ? 'down' : 'up'}`;
    case 'coordinatorMove':
      return describeAction({ kind: 'coordinatorMove', broker: e.broker });
    case 'quiet':
      return 'quiet: no callback for the quiet period';
  }
}

export function toTrace(run: RealRun): RealStep[] {
  const owned: Record<string, string[]> = {};
  const steps: RealStep[] = [];
  for (const e of run.events) {
    if ('member' in e) {
      const m = e.member;
      if (e.kind === 'start') owned[m] = [];
      else if (e.kind === 'crash' || e.kind === 'closed' || e.kind === 'exit') delete owned[m];
      else if (e.kind === 'assign' && m in owned) owned[m] = sortedUnique([...owned[m], ...e.partitions]);
      else if (e.kind === 'revoke' && m in owned) owned[m] = owned[m].filter((p) => !e.partitions.includes(p));
    }
    steps.push({ t: e.t, event: e, text: describeEvent(e), owned: structuredClone(owned) });
  }
  return steps;
}

export interface RealViolation {
  invariant: string;
  message: string;
  /** Index of the step in the trace, or -1 for the end of the run. */
  step: number;
}

export interface RealJudgement {
  violations: RealViolation[];
  /** Overlaps excused because the earlier owner had been removed from the group and learnt it later (Kafka's zombies). */
  zombieOverlaps: string[];
}

export interface RealInvariant {
  id: string;
  statement: string;
  protocols: RealRun['scenario']['protocol'][];
}

export const realInvariants: RealInvariant[] = [
  {
    id: 'single-owner',
    statement:
      'At most one live consumer owns a partition at any time, except a zombie: an earlier owner already removed from the group that later gives the partition up as lost (Kafka fences its commits, not its fetching).',
    protocols: ['eager', 'cooperative', 'consumer'],
  },
  {
    id: 'eager-revoke-all',
    statement: 'In eager mode a consumer revokes everything it owns before it is assigned anew.',
    protocols: ['eager'],
  },
  {
    id: 'revoke-before-reassign',
    statement:
      'Incrementally: a consumer revokes only what it owns, is assigned only what it lacks, and a partition reaches a new owner only after the previous live owner revoked it.',
    protocols: ['cooperative', 'consumer'],
  },
  {
    id: 'stable-coverage',
    statement: 'Once the group is quiet every partition has exactly one owner among the live consumers.',
    protocols: ['eager', 'cooperative', 'consumer'],
  },
  {
    id: 'idle-only-when-outnumbered',
    statement: 'Once the group is quiet a live consumer owns nothing only if consumers outnumber partitions.',
    protocols: ['eager', 'cooperative', 'consumer'],
  },
  {
    id: 'eventually-stable',
    statement: 'After the last fault the group goes quiet within the bound.',
    protocols: ['eager', 'cooperative', 'consumer'],
  },
];

/**
 * The invariants read step by step (single-owner, and by protocol eager-revoke-all or
 * revoke-before-reassign; `any` checks single-owner alone, for logs whose protocol is unknown).
 */
export function judgeSteps(protocol: RealRun['scenario']['protocol'] | 'any', steps: RealStep[]): RealJudgement {
  const violations: RealViolation[] = [];
  const zombieOverlaps: string[] = [];
  const fail = (invariant: string, step: number, message: string) => {
    if (!violations.some((v) => v.invariant === invariant)) violations.push({ invariant, message, step });
  };
  const eager = protocol === 'eager';
  const incremental = protocol === 'cooperative' || protocol === 'consumer';
  let before: Record<string, string[]> = {};
  steps.forEach((s, i) => {
    const e = s.event;
    if (e.kind === 'assign' || e.kind === 'revoke') {
      const had = before[e.member] ?? [];
      if (e.kind === 'revoke') {
        if (eager && had.some((p) => !e.partitions.includes(p)))
          fail('eager-revoke-all', i, `${e.member} revoked [${e.partitions}] but owned [${had}]`);
        if (incremental && e.partitions.some((p) => !had.includes(p)))
          fail('revoke-before-reassign', i, `${e.member} revoked [${e.partitions}] but owned only [${had}]`);
      } else {
        if (eager && had.length > 0) fail('eager-revoke-all', i, `${e.member} was assigned [${e.partitions}] while still owning [${had}]`);
        if (incremental && e.partitions.some((p) => had.includes(p)))
          fail('revoke-before-reassign', i, `${e.member} was assigned [${e.partitions}] while already owning [${had}]`);
        for (const p of e.partitions) {
          const others = Object.entries(before)
            .filter(([m, ps]) => m !== e.member && ps.includes(p))
            .map(([m]) => m);
          if (others.length === 0) continue;
          const what = `${p} assigned to ${e.member} at ${e.t.toFixed(0)} ms while ${others.join(', ')} still owned it`;
          const zombies = others.filter((m) => isZombie(steps, i, m, p));
          if (zombies.length === others.length) zombieOverlaps.push(`${what} (lost later)`);
          else {
            fail('single-owner', i, what);
            if (incremental) fail('revoke-before-reassign', i, what);
          }
        }
      }
    }
    before = s.owned;
  });
  return { violations, zombieOverlaps };
}

/**
 * The step-by-step rules a scenario's trace is held to. In a migration both kinds of member
 * revoke incrementally when the classic side is cooperative; with an eager classic side the
 * consumer-protocol members do not revoke everything, so only single-owner is read.
 */
export const stepRulesOf = (s: RealRun['scenario']): RealRun['scenario']['protocol'] | 'any' =>
  s.migration ? (s.protocol === 'cooperative' ? 'cooperative' : 'any') : s.protocol;

export function judge(run: RealRun, steps: RealStep[] = toTrace(run)): RealJudgement {
  const { violations, zombieOverlaps } = judgeSteps(stepRulesOf(run.scenario), steps);
  const fail = (invariant: string, step: number, message: string) => {
    if (!violations.some((v) => v.invariant === invariant)) violations.push({ invariant, message, step });
  };
  const last = steps.at(-1)?.owned ?? {};
  if (!run.quiet) fail('eventually-stable', -1, `no quiet period of the required length within the bound after the last fault`);
  else if (Object.keys(last).length > 0) {
    const owners = new Map<string, string[]>();
    for (const [m, ps] of Object.entries(last)) for (const p of ps) owners.set(p, [...(owners.get(p) ?? []), m]);
    // The topic may have grown during the run (addPartitions).
    const grown = run.events.flatMap((e) => (e.kind === 'addPartitions' ? [e.partitions] : []));
    const partitions = Math.max(run.scenario.partitions, ...grown);
    const names = topicNames(run.scenario);
    const topics = Object.fromEntries(names.map((t) => [t, t === TOPIC ? partitions : run.scenario.partitions]));
    for (const p of partitionsOf(topics, names)) {
      const o = owners.get(p) ?? [];
      if (o.length !== 1) {
        fail('stable-coverage', -1, o.length === 0 ? `${p} has no owner once quiet` : `${p} is owned by ${o.join(' and ')} once quiet`);
        break;
      }
    }
    const live = Object.keys(last);
    for (const [m, ps] of Object.entries(last)) {
      if (ps.length === 0 && live.length <= partitions + (names.length - 1) * run.scenario.partitions)
        fail('idle-only-when-outnumbered', -1, `${m} is idle with ${live.length} consumers and ${partitions} partitions`);
    }
  }
  return { violations, zombieOverlaps };
}

/** Final ownership of the live consumers, member -> sorted partitions. */
export const finalOwnership = (steps: RealStep[]): Record<string, string[]> => steps.at(-1)?.owned ?? {};
