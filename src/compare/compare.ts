import seedrandom from 'seedrandom';
import { assignorsFor, noFaults, session as makeSession, worldConfig } from '../run/config.ts';
import { MAX_FAIR_STEPS, settleBoundMs } from '../world/quiesce.ts';
import type { Session } from '../run/run.ts';
import { rowOf, type TimelineRow } from '../replay/timeline.ts';
import type { Choice, Protocol, World } from '../world/types.ts';
import { inCallback, isLive, isSettled, nextDeadline } from '../world/view.ts';
import { enabled, initialWorld, step } from '../world/world.ts';
import { UsageError } from '../core/errors.ts';
import { loadVariant } from '../variants/load.ts';
import { MetricsRecorder, type RunMetrics } from './metrics.ts';
import type { CompareScenario, ScriptStep } from './scenarios/index.ts';
import type { Variant } from '../variants/variant.ts';

// `compare`: the same scripted workloads, under the same seeded delivery orders, through
// several designs (protocol, assignor, variant), with the costs of each side by side.

/** A protocol a design can name, and the assignor it uses unless told otherwise. One line per protocol. */
export const protocolDesigns: Record<string, { protocol: Protocol; defaultAssignor: string }> = {
  eager: { protocol: 'eager', defaultAssignor: 'range' },
  cooperative: { protocol: 'cooperative', defaultAssignor: 'cooperative-sticky' },
  consumer: { protocol: 'consumer', defaultAssignor: 'uniform' },
};

export interface Design {
  /** As the user wrote it. */
  spec: string;
  protocol: Protocol;
  assignor: string;
  variant?: Variant;
}

export const designLabel = (d: Design): string => d.spec;

/**
 * `PROTOCOL[/ASSIGNOR]`, a variant (catalogue name or file: its first protocol, else eager, and
 * the assignor it replaces, else the protocol's default), or `PROTOCOL[/ASSIGNOR]+VARIANT`.
 */
export async function parseDesign(spec: string): Promise<Design> {
  const plus = spec.indexOf('+');
  const base = plus >= 0 ? spec.slice(0, plus) : spec;
  const variantSpec = plus >= 0 ? spec.slice(plus + 1) : undefined;
  const m = /^([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(base);
  const named = m && protocolDesigns[m[1]];
  if (plus >= 0 && !named)
    throw new UsageError(`design '${spec}': '${base}' is not a protocol (known: ${Object.keys(protocolDesigns).join(', ')})`);
  if (!named) {
    const variant = await loadVariant(spec);
    const protocol = variant.protocols?.[0] ?? 'eager';
    const replaced = Object.keys(variant.assignors ?? {}).filter((a) => assignorsFor(protocol, variant).includes(a));
    const known = Object.values(protocolDesigns).find((p) => p.protocol === protocol);
    return { spec, protocol, assignor: replaced[0] ?? known?.defaultAssignor ?? assignorsFor(protocol, variant)[0], variant };
  }
  const variant = variantSpec === undefined ? undefined : await loadVariant(variantSpec);
  if (variant?.protocols && !variant.protocols.includes(named.protocol))
    throw new UsageError(`design '${spec}': variant ${variant.name} applies to ${variant.protocols.join(', ')}, not ${named.protocol}`);
  const assignor = m![2] ?? named.defaultAssignor;
  const known = assignorsFor(named.protocol, variant);
  if (!known.includes(assignor))
    throw new UsageError(`design '${spec}': unknown assignor '${assignor}' for protocol ${named.protocol} (known: ${known.join(', ')})`);
  return { spec, protocol: named.protocol, assignor, variant };
}

/** The session of one design in one scenario: the scenario fixes the instance and faults, the variant its timers. */
export function scenarioSession(d: Design, sc: CompareScenario): Session {
  // Slow callbacks on: the runner gives onPartitionsRevoked its time (see Timing).
  const faults = { ...noFaults, ...sc.faults, slowCallbacks: true };
  const base = worldConfig({
    protocol: d.protocol,
    assignor: d.assignor,
    members: sc.members,
    partitions: sc.partitions,
    faults,
    static: sc.static,
    variant: d.variant,
    // The migration starts from the design's classic protocol; a consumer design is the control.
    migration: d.protocol === 'consumer' ? undefined : sc.migration,
  });
  const config = { ...base, members: sc.members, topics: { t0: sc.partitions }, faults, static: (sc.static ?? false) || base.static };
  return makeSession(config, d.variant);
}

export interface ViolationSeen {
  invariant: string;
  message: string;
  /** Virtual ms when it was first seen. */
  at: number;
}

export interface ScenarioRun {
  metrics: RunMetrics;
  violations: ViolationSeen[];
  /** Every choice applied, from the initial world. */
  choices: Choice[];
  /** With `record`: one timeline row per step, at the times of this run (latency included). */
  rows?: TimelineRow[];
}

/**
 * The timing the world leaves out, supplied by the scenario runner: every message takes a
 * seeded random network latency, and onPartitionsRevoked takes a fixed time (a synchronous
 * commit and clean-up). Without them a whole join round takes zero virtual time and eager's
 * stop-the-world pause could not be measured.
 */
export interface Timing {
  latencyMs: [number, number];
  revocationCallbackMs: number;
}

export const defaultTiming: Timing = { latencyMs: [1, 10], revocationCallbackMs: 250 };

/** Runs one scenario for one design with one seed. Every invariant is checked; a violation is recorded and the run goes on. */
export function runScenario(s: Session, sc: CompareScenario, seed: number, timing: Timing = defaultTiming, record = false): ScenarioRun {
  const { config, model } = s;
  const rng = seedrandom(`${sc.name}:${seed}`);
  const latency = () => timing.latencyMs[0] + Math.floor(rng() * (timing.latencyMs[1] - timing.latencyMs[0] + 1));
  const safety = s.invariants.filter((i) => i.kind === 'safety');
  const liveness = s.invariants.filter((i) => i.kind === 'liveness');
  const violations: ViolationSeen[] = [];
  const note = (invariant: string, message: string, at: number) => {
    if (!violations.some((v) => v.invariant === invariant)) violations.push({ invariant, message, at });
  };
  const choices: Choice[] = [];
  let recorder: MetricsRecorder | null = null;
  let w: World = initialWorld(config, model);
  const rows: TimelineRow[] | undefined = record ? [rowOf(-1, null, null, w, false)] : undefined;
  /** Message id -> virtual time it reaches the other side. */
  const arrival = new Map<number, number>(w.net.map((m) => [m.id, w.now + latency()]));
  /** Client (name#incarnation) -> when its revocation callback finishes. */
  const callbackDone = new Map<string, number>();
  const trackCallbacks = () => {
    for (const c of w.clients) {
      const key = `${c.name}#${c.inc}`;
      const revoking = inCallback(c);
      if (revoking && !callbackDone.has(key)) callbackDone.set(key, w.now + timing.revocationCallbackMs);
      if (!revoking) callbackDone.delete(key);
    }
  };

  const apply = (c: Choice) => {
    const after = step(w, c, config, model);
    for (const inv of safety) {
      const msg = inv.check(w, c, after, config);
      if (msg) note(inv.id, msg, after.now);
    }
    recorder?.step(w, after);
    for (const m of after.sent) arrival.set(m.id, after.now + latency());
    rows?.push(rowOf(choices.length, c, w, after, false));
    choices.push(c);
    w = after;
    trackCallbacks();
  };
  /**
   * Lets the clock run to `t` when nothing is due before it. The world has no "time passes"
   * choice (its clock moves with timers); nothing can happen in between, so this changes no
   * state but the time. Replaying the choices without it gives the same states, earlier.
   */
  const idleUntil = (t: number) => {
    if (t <= w.now) return;
    const after = { ...w, now: t, sent: [] };
    recorder?.step(w, after);
    w = after;
  };
  /**
   * The next choice: a message that has arrived (a seeded random one among them), else a
   * finished revocation callback, else fresh metadata, else the earliest of the next arrival,
   * callback end or timer, if it is due by `until` (the clock idles forward to arrivals).
   */
  const next = (until: number): Choice | undefined => {
    for (;;) {
      const all = enabled(w, config);
      const deliveries = all.filter((c): c is Extract<Choice, { kind: 'deliver' }> => c.kind === 'deliver');
      const arrived = deliveries.filter((c) => (arrival.get(c.id) ?? w.now) <= w.now);
      if (arrived.length > 0) return arrived[Math.floor(rng() * arrived.length)];
      const callbacks = all.filter((c): c is Extract<Choice, { kind: 'callback' }> => c.kind === 'callback');
      const ready = callbacks.find((c) => callbackDone.get(`${c.client}#${w.clients.find((x) => x.name === c.client)!.inc}`)! <= w.now);
      if (ready) return ready;
      const metadata = all.find((c) => c.kind === 'metadata');
      if (metadata) return metadata;
      const timer = nextDeadline(w);
      const soonest = Math.min(
        ...deliveries.map((c) => arrival.get(c.id)!),
        ...callbacks.map((c) => callbackDone.get(`${c.client}#${w.clients.find((x) => x.name === c.client)!.inc}`)!),
      );
      if (Math.min(timer, soonest) > until) return undefined;
      if (timer <= soonest) return all.find((c) => c.kind === 'fire');
      idleUntil(soonest);
    }
  };
  /** Lets virtual time pass: messages, callbacks and timers due within `ms`. */
  const runFor = (ms: number) => {
    const until = w.now + ms;
    for (let i = 0; i < MAX_FAIR_STEPS; i++) {
      const c = next(until);
      if (!c) break;
      apply(c);
    }
    idleUntil(Math.min(until, nextDeadline(w)));
  };
  /** Runs until the group is stable with nothing in flight; returns the time, or null past the liveness bound. */
  const settle = (): number | null => {
    const from = w;
    const deadline = w.now + settleBoundMs(config);
    for (let i = 0; i < MAX_FAIR_STEPS && !(isSettled(w) && w.net.length === 0); i++) {
      const c = next(deadline);
      if (!c) break;
      apply(c);
    }
    const ok = isSettled(w);
    for (const inv of liveness) {
      const msg = inv.check(from, null, w, config);
      if (msg) note(inv.id, msg, w.now);
    }
    return ok ? w.now : null;
  };
  const hold = () => runFor(config.timers.heartbeatIntervalMs);
  /** Until no message to or from the closed process is in flight, or request.timeout.ms passed. */
  // close() runs in steps (its commit, the callback, the leave and its answer): wait until the
  // process is gone and nothing of it is in flight, at most one request timeout per step.
  const awaitClosed = (name: string) => {
    const limit = w.now + 3 * config.timers.requestTimeoutMs;
    const running = () => isLive(w.clients.find((s) => s.name === name)!);
    while (w.now < limit && (running() || w.net.some((m) => m.body.client.client === name))) runFor(1);
  };

  // Slots that join later are closed at time 0 and their first JoinGroup dropped (the choices
  // are not enabled without faults; the world applies them all the same).
  for (const slot of w.clients.slice(sc.initial ?? sc.members)) {
    apply({ kind: 'close', client: slot.name });
    for (const m of w.net.filter((x) => x.body.client.client === slot.name)) apply({ kind: 'drop', id: m.id });
  }
  settle();
  hold();
  recorder = new MetricsRecorder(w);
  for (const change of sc.changes) {
    for (const st of change.steps as ScriptStep[]) {
      if (st.kind === 'wait') runFor(st.ms);
      else if (st.kind === 'closed') awaitClosed(st.client);
      else apply(st);
    }
    const from = w.now;
    recorder.changeSettled(from, settle());
    hold();
  }
  return { metrics: recorder.result(w), violations, choices, ...(rows && { rows }) };
}

export interface Stat {
  mean: number;
  min: number;
  max: number;
}

const stat = (xs: number[]): Stat => ({
  mean: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length),
  min: Math.min(...xs),
  max: Math.max(...xs),
});

export type MetricName = Exclude<keyof RunMetrics, 'timeToStableMs'>;

/** The metrics in table order, with their labels and units. */
export const metricInfo: Array<{ key: MetricName | 'timeToStableMs' | 'violations'; label: string; unit: string }> = [
  { key: 'rebalances', label: 'rebalances', unit: '' },
  { key: 'generations', label: 'generations / group epochs', unit: '' },
  { key: 'moved', label: 'partitions moved', unit: '' },
  { key: 'revokedReturned', label: 'revoked, came back to same owner', unit: '' },
  { key: 'unownedPartitionSeconds', label: 'partition-seconds without an owner', unit: 's' },
  { key: 'pausedPartitionSeconds', label: 'partition-seconds not processed', unit: 's' },
  { key: 'longestPauseMs', label: 'longest pause of one partition', unit: 'ms' },
  { key: 'stopTheWorldMs', label: 'stop-the-world (nothing processed)', unit: 'ms' },
  { key: 'timeToStableMs', label: 'time to stable after each change', unit: 'ms' },
  { key: 'violations', label: 'invariant violations (runs)', unit: '' },
];

export interface DesignResult {
  design: string;
  protocol: Protocol;
  assignor: string;
  variant: string | null;
  metrics: Record<MetricName, Stat>;
  /** Per change, in scenario order; `unsettled` counts runs that did not settle within the bound. */
  timeToStableMs: Array<Stat & { change: string; unsettled: number }>;
  /** Invariant id -> runs in which it was violated, with the first message seen. */
  violations: Record<string, { runs: number; message: string }>;
  /** Runs with at least one violation. */
  violatingRuns: number;
  /** The first seed's run, for the ownership timelines. */
  rows?: TimelineRow[];
}

export interface ComparisonResult {
  timing: Timing;
  scenario: { name: string; description: string; members: number; partitions: number; changes: string[] };
  runs: number;
  seed: number;
  designs: DesignResult[];
}

/** Runs `runs` seeds (seed, seed+1, ...) of the scenario through every design. */
export function compareDesigns(
  designs: Design[],
  sc: CompareScenario,
  opts: { runs: number; seed: number; timelines?: boolean; timing?: Timing },
): ComparisonResult {
  const timing = opts.timing ?? defaultTiming;
  const keys = metricInfo.map((m) => m.key).filter((k): k is MetricName => k !== 'timeToStableMs' && k !== 'violations');
  const results = designs.map((d): DesignResult => {
    const s = scenarioSession(d, sc);
    const runs = Array.from({ length: opts.runs }, (_, i) => runScenario(s, sc, opts.seed + i, timing, i === 0 && opts.timelines === true));
    const violations: DesignResult['violations'] = {};
    for (const r of runs)
      for (const v of r.violations)
        violations[v.invariant] = {
          runs: (violations[v.invariant]?.runs ?? 0) + 1,
          message: violations[v.invariant]?.message ?? v.message,
        };
    return {
      design: designLabel(d),
      protocol: d.protocol,
      assignor: d.assignor,
      variant: d.variant ? (d.variant.source ?? d.variant.name) : null,
      metrics: Object.fromEntries(keys.map((k) => [k, stat(runs.map((r) => r.metrics[k]))])) as Record<MetricName, Stat>,
      timeToStableMs: sc.changes.map((c, i) => {
        const times = runs.map((r) => r.metrics.timeToStableMs[i]).filter((t): t is number => t !== null);
        return {
          change: c.label,
          unsettled: runs.length - times.length,
          ...(times.length ? stat(times) : { mean: NaN, min: NaN, max: NaN }),
        };
      }),
      violations,
      violatingRuns: runs.filter((r) => r.violations.length > 0).length,
      ...(runs[0].rows && { rows: runs[0].rows }),
    };
  });
  return {
    timing,
    scenario: {
      name: sc.name,
      description: sc.description,
      members: sc.members,
      partitions: sc.partitions,
      changes: sc.changes.map((c) => c.label),
    },
    runs: opts.runs,
    seed: opts.seed,
    designs: results,
  };
}
