import type { Command } from 'commander';
import pc from 'picocolors';
import type { budgetedKinds, Budgets } from '../explore/bounds.ts';
import { protocols } from '../run/config.ts';
import { Coverage, formatCoverage } from '../run/coverage.ts';
import type { Progress } from '../explore/bfs.ts';
import { defaultMaxHeapBytes, explore, planExplore, type ExploreOptions as ApiExploreOptions } from '../api/explore.ts';
import { exploreDefaults, exploreLimits, type specSession, type ExploreRequest } from '../explore/spec.ts';
import { parseShard } from '../core/shard.ts';
import { catalogue } from '../variants/catalogue.ts';
import { loadVariant } from '../variants/load.ts';
import type { Variant } from '../variants/variant.ts';
import { describeChoice, describeWorld } from '../world/describe.ts';
import { writeCounterexample } from '../replay/save.ts';
import { timeline } from '../replay/timeline.ts';
import type { Choice, World } from '../world/types.ts';
import { initialWorld, step } from '../world/world.ts';
import { maxTimeHelp, offsetResetOption, positiveInt, seconds } from '../core/errors.ts';
import { interrupted, noteDone } from '../core/control.ts';
import { defaultTimeLimit, timeLimitHelp } from './supervise.ts';
import { printViolation } from './report.ts';
import type { Interpreter } from '../world/model.ts';
import { interpreterHelp, parseInterpreter, useInterpreter } from './interpreter.ts';
import { extendExplore, finishExplore, validateCiOptions, type CiOptions } from './check-ci.ts';
import { tracksGoals } from './goals.ts';
import { num as n } from '../core/format.ts';

/** The flags as commander gives them: the instance and bounds only when given. */
interface ExploreOptions
  extends CiOptions,
    Pick<
      ExploreRequest,
      | 'protocol'
      | 'assignor'
      | 'migration'
      | 'members'
      | 'partitions'
      | 'topics'
      | 'static'
      | 'racks'
      | 'pattern'
      | 'offsetReset'
      | 'slowCallbacks'
      | 'slowAssignLost'
      | 'maxDepth'
      | 'maxInFlight'
    > {
  variant?: string;
  maxClock?: number;
  maxTime?: number;
  maxStates?: number;
  maxMemory?: number;
  maxDelay?: number;
  symmetry: boolean;
  liveness: boolean;
  interpreter?: Interpreter;
  measureReduction?: boolean;
  coverage?: boolean;
  workers: number;
  shard?: string;
  out: string;
  save: boolean;
  json?: boolean;
  [budget: string]: unknown;
}

/** CLI flag of each budget (how many of that kind of choice a path may take). */
const budgetFlags: Record<(typeof budgetedKinds)[number], [string, string]> = {
  crash: ['--crashes', 'crashes (a process dies without a word)'],
  start: ['--restarts', 'restarts of a crashed or closed process'],
  close: ['--leaves', 'graceful closes (LeaveGroup)'],
  drop: ['--drops', 'lost messages'],
  stall: ['--stalls', 'application stalls past max.poll.interval.ms'],
  cut: ['--cuts', 'cut links (the client keeps fetching)'],
  addPartition: ['--add-partitions', 'partitions added to a topic'],
  failover: ['--failovers', 'coordinator failovers'],
  subscribe: ['--subscribes', 'subscription changes (with several topics)'],
  process: ['--processes', 'record-processing steps'],
  commit: ['--commits', 'offset commits'],
  replace: ['--zombies', 'replacements that leave the old process running as a zombie (static: same instance id; dynamic: a new member)'],
  assignorFails: ['--assignor-fails', "assignor failures (classic: a leader's round; KIP-848: a heartbeat that computes a target)"],
  moveReplica: ['--replica-moves', 'replicas moved to another rack (with --racks)'],
  createTopic: ['--create-topics', 'topics created during the run (with --pattern they match the subscription)'],
  expireOffsets: ['--expire-offsets', 'offset cleanups after offsets.retention.minutes (docs/model.md, section 11)'],
  slowAssignor: ['--slow-assignors', "rounds whose leader's assignor takes time (classic)"],
};
const camel = (flag: string) => flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
const L = exploreLimits;
// The instance and bound options have no commander default: one not given comes from the
// variant's explore settings, then from exploreDefaults (see resolveSpec).
const orVariant = (d: number | string) => `(default: ${d}, or the variant's)`;

export function registerExplore(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('explore')
    .description(
      "explore every reachable state of a small instance within bounds; with --variant, the variant's own small instance and bounds unless flags say otherwise (exit 0: no violation, 1: violation, 2: bad usage)",
    )
    .option('--protocol <name>', `rebalance protocol: ${protocols.join(', ')} (default: cooperative, or the variant's)`)
    .option('--assignor <name>', "assignor (default: cooperative-sticky, or the variant's)")
    .option('--members <n>', `consumer processes ${orVariant(exploreDefaults.members)}`, positiveInt('--members', ...L.members))
    .option(
      '--partitions <n>',
      `partitions of each topic ${orVariant(exploreDefaults.partitions)}`,
      positiveInt('--partitions', ...L.partitions),
    )
    .option(
      '--topics <n>',
      `topics, every member subscribed to all ${orVariant(exploreDefaults.topics)}`,
      positiveInt('--topics', ...L.topics),
    )
    .option('--static', 'static membership (KIP-345)')
    .option('--racks <n>', 'KIP-881: brokers on n racks, client.rack per consumer (docs/model.md, "Racks")', positiveInt('--racks', 0, 8))
    .option('--pattern', 'consumers subscribe by regular expression (classic: matched by the client; KIP-848: resolved by the coordinator)')
    .option(
      '--offset-reset <how>',
      'auto.offset.reset of every consumer: earliest (default) or latest',
      offsetResetOption('--offset-reset'),
    )
    .option('--migration <dir>', 'a rolling switch of group.protocol: upgrade (classic -> consumer) or downgrade (docs/migration.md)')
    .option('--slow-callbacks', 'onPartitionsRevoked takes time (a separate callback choice)')
    .option('--slow-assign-lost', 'onPartitionsAssigned and onPartitionsLost take time too (a separate callback choice)')
    .option(
      '--variant <name|file>',
      `a design variant: a catalogue name (${catalogue.map((v) => v.name).join(', ')}) or a variant file (./my-variant.ts)`,
    )
    .option(
      '--max-depth <n>',
      `do not expand states this many steps from the start ${orVariant(exploreDefaults.maxDepth)}`,
      positiveInt('--max-depth', ...L.maxDepth),
    )
    .option(
      '--max-in-flight <n>',
      `cut off successors with more messages in flight ${orVariant(exploreDefaults.maxInFlight)}`,
      positiveInt('--max-in-flight', ...L.maxInFlight),
    )
    .option(
      '--max-clock <ms>',
      'cut off successors whose virtual clock passed this (keeps the clock in the state)',
      positiveInt('--max-clock', 0, 10_000_000),
    )
    .option(
      '--max-delay <ms>',
      "bounded-delay network: no timer fires while a message has been in flight longer than this, which makes small instances finite (default: none, or the variant's)",
      positiveInt('--max-delay', ...L.maxDelayMs),
    );
  for (const [kind, [flag, what]] of Object.entries(budgetFlags))
    cmd.option(
      `${flag} <n>`,
      `at most this many ${what} per path ${orVariant(exploreDefaults.budgets[kind as keyof Budgets])}`,
      positiveInt(flag, ...L.budget),
    );
  cmd
    .option('--no-symmetry', 'treat the clients as distinct (no symmetry reduction)')
    .option(
      '--no-liveness',
      "skip the check that every state settles once faults stop (default: checked, or as the variant's settings say)",
    )
    .option('--liveness', "check that every state settles once faults stop (where the variant's settings leave it out)")
    .option('--measure-reduction', 'explore again without symmetry and print the reduction factor')
    .option('--coverage', 'report which machine states, transitions, error codes and choices were reached')
    // One by default: workers repeat the expansion, which on 2 cores costs more than the checks they share (npm run bench).
    .option(
      '--workers <n>',
      'worker threads that split the checking (default: 1; see docs/explore.md)',
      positiveInt('--workers', 1, 256),
      1,
    )
    .option('--shard <i/n>', 'explore only shard i of n (first-level subtrees by state hash); run all n to cover the space')
    .option('--out <dir>', 'where a violation writes its counterexample file', 'counterexamples')
    .option('--no-save', 'do not write a counterexample file')
    .option('--max-time <s>', maxTimeHelp, seconds('--max-time'))
    .option('--time-limit <s>', timeLimitHelp, seconds('--time-limit', 3600), defaultTimeLimit)
    .option('--max-states <n>', 'stop after this many distinct states and report what was explored', positiveInt('--max-states', 1, 1e9))
    .option(
      '--max-memory <MB>',
      'stop when the heap passes this many megabytes and report what was explored (default: three quarters of the heap limit)',
      positiveInt('--max-memory', 16, 1e6),
    )
    .option('--interpreter <name>', interpreterHelp, parseInterpreter)
    .option('--json', 'print the result as JSON')
    .action(async (opts: ExploreOptions) => {
      const variant = opts.variant === undefined ? undefined : await loadVariant(opts.variant);
      setExit(await runExplore(opts, variant, cmd.getOptionValueSource('liveness') === 'cli'));
    });
  extendExplore(program);
}

/** The request of the flags actually given (the rest comes from the variant's settings or the defaults). */
function requestOf(opts: ExploreOptions, livenessGiven: boolean): ExploreRequest {
  const budgets: Partial<Budgets> = {};
  for (const [kind, [flag]] of Object.entries(budgetFlags))
    if (opts[camel(flag)] !== undefined) budgets[kind as keyof Budgets] = opts[camel(flag)] as number;
  return {
    protocol: opts.protocol,
    assignor: opts.assignor,
    members: opts.members,
    partitions: opts.partitions,
    topics: opts.topics,
    static: opts.static,
    racks: opts.racks,
    pattern: opts.pattern === true ? true : undefined,
    offsetReset: opts.offsetReset,
    migration: opts.migration,
    budgets,
    maxDepth: opts.maxDepth,
    maxInFlight: opts.maxInFlight,
    maxTimeMs: opts.maxClock,
    maxDelayMs: opts.maxDelay,
    liveness: livenessGiven ? opts.liveness : undefined,
    symmetry: opts.symmetry,
    slowCallbacks: opts.slowCallbacks === true ? true : undefined,
    slowAssignLost: opts.slowAssignLost === true ? true : undefined,
    coverage: opts.coverage === true,
    shard: opts.shard === undefined ? undefined : parseShard(opts.shard),
  };
}

/** The pieces of a variant's explore settings that the flags given replace (for the start-up line). */
function overridden(req: ExploreRequest): string[] {
  const flags: Array<[unknown, string]> = [
    [req.protocol, '--protocol'],
    [req.assignor, '--assignor'],
    [req.members, '--members'],
    [req.partitions, '--partitions'],
    [req.topics, '--topics'],
    [req.static, '--static'],
    [req.racks, '--racks'],
    [req.pattern, '--pattern'],
    [req.offsetReset, '--offset-reset'],
    [req.maxDepth, '--max-depth'],
    [req.maxInFlight, '--max-in-flight'],
    [req.maxDelayMs, '--max-delay'],
    [req.liveness, '--liveness'],
    ...Object.keys(req.budgets ?? {}).map((k): [unknown, string] => [true, budgetFlags[k as keyof Budgets][0]]),
  ];
  return flags.filter(([v]) => v !== undefined).map(([, f]) => f);
}

async function runExplore(opts: ExploreOptions, loaded: Variant | undefined, livenessGiven: boolean): Promise<number> {
  const interpreter = useInterpreter(opts);
  validateCiOptions(opts);
  const req = requestOf(opts, livenessGiven);
  const options: ApiExploreOptions = {
    ...req,
    variant: loaded,
    interpreter,
    goals: tracksGoals(opts),
    workers: opts.workers,
    maxTime: opts.maxTime,
    maxStates: opts.maxStates,
    ...(opts.maxMemory !== undefined && { maxHeapBytes: opts.maxMemory * 1e6 }),
    measureReduction: opts.measureReduction,
  };
  const { spec, fromVariant, symmetryDropped: noSymmetry, session, variant } = await planExplore(options);
  const b = spec.bounds;
  const budgetText = Object.entries(budgetFlags)
    .filter(([k]) => b.budgets[k as keyof Budgets] > 0)
    .map(([k, [flag]]) => `${flag.slice(2)} ${b.budgets[k as keyof Budgets]}`)
    .join(', ');
  const label = `${spec.protocol}/${spec.assignor}${session.config.static ? ' static' : ''}${variant ? ` variant ${variant.name}` : ''} (${spec.members} members x ${spec.partitions} partitions${spec.topics > 1 ? ` x ${spec.topics} topics` : ''})`;
  const boundsText = `depth <= ${b.maxDepth}, in flight <= ${b.maxInFlight}${Number.isFinite(b.maxTimeMs) ? `, time <= ${b.maxTimeMs} ms` : ''}${Number.isFinite(b.maxDelayMs ?? Infinity) ? `, message delay <= ${b.maxDelayMs} ms` : ''}; faults: ${budgetText || 'none'}`;
  const given = overridden(req);
  const settings = fromVariant
    ? ` with the variant's explore settings${given.length > 0 ? ` (${given.join(', ')} from the command line)` : ''}`
    : '';
  const quiet = opts.json === true;
  if (!quiet)
    console.log(
      pc.dim(
        `exploring ${label}${settings}: ${boundsText}; symmetry ${spec.symmetry ? 'on' : 'off'}, liveness ${spec.liveness ? 'on' : 'off'}${spec.shard ? `, shard ${spec.shard.index + 1}/${spec.shard.count}` : ''}, ${opts.workers} worker${opts.workers > 1 ? 's' : ''}`,
      ),
    );
  if (noSymmetry && !quiet)
    console.log(
      pc.dim(
        `  symmetry off: ${session.config.static ? 'static members are ordered by group.instance.id' : session.config.racks ? 'each client has its own client.rack (KIP-881)' : 'KIP-848 members are ordered by their client-made member id'}, which names the client, so clients are not interchangeable`,
      ),
    );
  const report = await explore({ ...options, onProgress: quiet ? undefined : progressPrinter() });
  const r = report.result;
  if (process.stderr.isTTY && !quiet) process.stderr.write('\r\x1b[K');
  const reduction = report.statesWithoutSymmetry === undefined ? undefined : { states: report.statesWithoutSymmetry };
  let coverageLines: string[] = [];
  let coverageReport: ReturnType<Coverage['report']> | undefined;
  if (r.coverage) {
    const cov = new Coverage(session.model);
    cov.merge(r.coverage);
    coverageReport = cov.report();
    coverageLines = formatCoverage(coverageReport);
  }
  const summary = {
    label,
    variantSettings: fromVariant,
    bounds: b,
    states: r.states,
    transitions: r.transitions,
    diameter: r.diameter,
    seconds: r.seconds,
    statesPerSecond: r.states / Math.max(r.seconds, 1e-9),
    heapBytes: r.heapBytes,
    workers: r.workers,
    cut: r.cut,
    ...(r.timedOut && { timedOut: true }),
    symmetry: spec.symmetry,
    reduction: reduction && { statesWithout: reduction.states, factor: reduction.states / r.states },
    liveness: r.liveness,
    violation: r.violation && {
      invariant: r.violation.invariant,
      message: r.violation.message,
      steps: r.violation.path.length,
      lasso: r.violation.lasso && { stem: r.violation.lasso.stem.length, cycle: r.violation.lasso.cycle.length },
    },
    coverage: coverageReport,
  };
  let file: string | undefined;
  if (report.counterexample && opts.save) file = writeCounterexample(opts.out, report.counterexample);
  const v0 = r.violation;
  const ci = finishExplore(
    opts,
    session.config,
    {
      name: label,
      seconds: r.seconds,
      invariants: session.invariants.map((i) => i.id),
      ...(v0 && {
        violation: {
          invariant: v0.invariant,
          statement: v0.statement,
          message: v0.message,
          replay: file ? `npx rebalance-check replay ${file}` : 'run again without --no-save to write a replayable counterexample',
          file,
        },
      }),
      properties: { protocol: spec.protocol, assignor: spec.assignor, states: r.states, 'max-depth': b.maxDepth },
    },
    r.goals,
    quiet,
  );
  if (quiet) {
    console.log(JSON.stringify({ ok: !r.violation && ci.code === 0, ...summary, goals: ci.goals, file }, null, 2));
    return r.violation ? 1 : ci.code;
  }
  const mb = (x: number) => `${n(x / 1e6)} MB`;
  const head = `${n(r.states)} distinct states, ${n(r.transitions)} transitions, diameter ${r.diameter}, ${r.seconds.toFixed(1)} s (${n(summary.statesPerSecond)} states/s), heap ${mb(r.heapBytes)}`;
  if (!r.violation) {
    console.log(`${pc.green('✓')} ${label}: ${head}; every invariant holds in every state`);
  }
  const cutParts = [
    r.cut.depth && `${n(r.cut.depth)} states at depth ${b.maxDepth} not expanded`,
    r.cut.inFlight && `${n(r.cut.inFlight)} successors over ${b.maxInFlight} messages in flight`,
    r.cut.time && `${n(r.cut.time)} successors past ${b.maxTimeMs} ms`,
  ].filter(Boolean);
  if (r.timedOut)
    cutParts.push(
      `${interrupted() ? 'interrupted (Ctrl-C)' : `stopped at the --max-time deadline (${opts.maxTime} s)`} with ${n(r.states)} states reached: not exhausted`,
    );
  if (r.stopped) cutParts.push(`stopped at --max-states ${n(opts.maxStates ?? r.states)}: not exhausted`);
  if (r.heapCapped)
    cutParts.push(
      `stopped at the memory cap (${mb(options.maxHeapBytes ?? defaultMaxHeapBytes())} of heap) with ${n(r.states)} states reached: not exhausted; tighten the bounds (--max-depth, --max-delay, budgets) or raise --max-memory`,
    );
  const exhausted = cutParts.length === 0;
  const delayed = r.cut.delay > 0 ? ` within the delay bound (timers held back in ${n(r.cut.delay)} states)` : '';
  if (!r.violation)
    console.log(
      pc.dim(
        `  ${exhausted ? `complete: no bound cut anything off (the space within the fault budgets is exhausted${delayed})` : `bounded: ${cutParts.join('; ')}`}`,
      ),
    );
  // Depth is the only bound that ends a search on the unbounded-delay network: say how to end it otherwise.
  if (!r.violation && r.cut.depth > 0 && !Number.isFinite(b.maxDelayMs ?? Infinity))
    console.log(
      pc.dim(
        '  hint: messages may wait in flight while timers fire, so the space has no end; --max-delay 0 --max-depth 10000 explores small instances completely',
      ),
    );
  if (!r.violation && r.workers > 1)
    console.log(pc.dim(`  ${r.workers} workers walked the same graph, each checking its share of the states`));
  if (!r.violation && spec.symmetry)
    console.log(
      pc.dim(
        `  symmetry: ${spec.members} interchangeable clients${reduction ? `; ${n(reduction.states)} states without it: reduction x${(reduction.states / r.states).toFixed(2)}` : ' (--measure-reduction prints the factor)'}`,
      ),
    );
  if (!r.violation && r.liveness)
    console.log(
      pc.dim(`  liveness: every state settles once faults stop (${n(r.liveness.walks)} fair-schedule walks, ${n(r.liveness.steps)} steps)`),
    );
  for (const line of coverageLines) console.log(pc.dim(`  ${line}`));
  ci.print();
  if (!r.violation) return ci.code;
  const v = r.violation;
  // A liveness violation shows the path here and the fair schedule after it as the lasso below.
  const shown = v.lasso ? { ...v, step: v.path.length - 1 } : v;
  printViolation(
    `${label}: invariant ${pc.bold(v.invariant)} violated after ${v.path.length} steps (shortest within the bounds; ${head})`,
    shown,
    timeline(session, v.path),
    false,
  );
  if (v.lasso) printLasso(session, v.path, v.lasso);
  if (file) console.log(`  Saved: ${file}`);
  if (file) console.log(`  Replay: ${pc.bold(`npx rebalance-check replay ${file}`)}`);
  return 1;
}

/** The lasso of a liveness violation: where the fair schedule goes, and the cycle it never leaves. */
function printLasso(session: ReturnType<typeof specSession>['session'], path: Choice[], lasso: { stem: Choice[]; cycle: Choice[] }): void {
  let w: World = initialWorld(session.config, session.model);
  for (const c of path) w = step(w, c, session.config, session.model);
  const show = (c: Choice, mark: string) => {
    const text = describeChoice(c, w);
    w = step(w, c, session.config, session.model);
    console.log(pc.dim(`  ${mark} ${String(w.now).padStart(7)}  ${text}`));
  };
  const then =
    lasso.cycle.length > 0
      ? `then repeats these ${lasso.cycle.length} forever (the same state up to a time shift)`
      : 'then nothing more can happen';
  console.log(
    pc.dim(`  Lasso: after the ${path.length} steps above, faults stop; the fair schedule takes ${lasso.stem.length} steps, ${then}:`),
  );
  for (const c of lasso.stem) show(c, '~');
  for (const c of lasso.cycle) show(c, '↻');
  console.log(pc.dim(`              ${describeWorld(w)}`));
}

/** States, states/s, queue and depth: an updating line on a terminal, a line every 10 s otherwise. */
function progressPrinter(): (p: Progress) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (p) => {
    noteDone('states', p.states);
    if (!tty && p.seconds - last < 10) return;
    last = p.seconds;
    const line = `${n(p.states)} states, ${n(p.states / Math.max(p.seconds, 1e-9))} states/s, queue ${n(p.queue)}, depth ${p.depth}, ${p.seconds.toFixed(0)} s`;
    process.stderr.write(tty ? `\r${pc.dim(line)}\x1b[K` : `${line}\n`);
  };
}
