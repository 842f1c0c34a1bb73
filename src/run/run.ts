import type { Invariant } from '../../properties/invariant.ts';
import type { Model } from '../world/model.ts';
import type { Choice, ChoiceKind, World, WorldConfig } from '../world/types.ts';
import { enabled, initialWorld, step } from '../world/world.ts';
import { allKinds, pickChoice } from './pick.ts';
import { fairSchedule } from '../world/quiesce.ts';

export interface Violation {
  invariant: string;
  statement: string;
  message: string;
  /** Index of the failing step in `trace` (the liveness check fails after the last step). */
  step: number;
  choice: Choice | null;
}

export interface RunResult {
  violation?: Violation;
  /** The choices applied, by meaning: the random ones, then the fair schedule's. */
  trace: Choice[];
  /** How many of `trace` came from the random picks (the rest is the fair schedule). */
  randomSteps: number;
  world: World;
}

export interface Session {
  config: WorldConfig;
  model: Model;
  invariants: Invariant[];
  /** Run the fair schedule and the liveness invariants after the random steps. */
  liveness: boolean;
  /** Sees every step (coverage); absent on the hot path. */
  observe?: (before: World, choice: Choice, after: World) => void;
  /** Choice weights for random picks (default: pick.ts's choiceWeights); steering rounds raise some. */
  weights?: Record<ChoiceKind, number>;
  /**
   * Swarm bits (pick.ts) every random run sets and clears whatever its own: a mutate place that
   * needs some kinds of choice in every run, or no BUSY mode, says so here. Absent: the run's own.
   */
  swarm?: { set: number; clear: number };
}

/** One random run: the kinds of choice it may use (swarm bit set) and one number per step. */
export interface RunInput {
  swarm: number;
  picks: readonly number[];
}

/** Applies random picks, then the fair schedule, checking every invariant after every step. */
export function runPicks(session: Session, input: RunInput | readonly number[]): RunResult {
  const { swarm: own, picks } = Array.isArray(input) ? { swarm: allKinds, picks: input as readonly number[] } : (input as RunInput);
  const swarm = session.swarm ? (own | session.swarm.set) & ~session.swarm.clear : own;
  return run(session, (w) => {
    const choices = enabled(w, session.config);
    return choices.length === 0
      ? undefined
      : (i) => (i < picks.length ? pickChoice(choices, picks[i], swarm, w, session.weights) : undefined);
  });
}

/** Re-applies stored choices (a counterexample or a replay); the fair schedule follows as in the original run. */
export function runChoices(session: Session, choices: readonly Choice[]): RunResult {
  return run(session, () => (i) => choices[i]);
}

/** Runs choices given by `next(world)(stepIndex)` until it returns nothing, then the fair schedule. */
export function run(session: Session, next: (w: World) => ((i: number) => Choice | undefined) | undefined): RunResult {
  const { config, model } = session;
  const safety = session.invariants.filter((i) => i.kind === 'safety');
  const trace: Choice[] = [];
  let w = startOf(config, model);
  for (let i = 0; ; i++) {
    const chooser = next(w);
    const choice = chooser?.(i);
    if (!choice) break;
    const after = step(w, choice, config, model);
    trace.push(choice);
    session.observe?.(w, choice, after);
    const v = checkSafety(safety, w, choice, after, config, trace.length - 1);
    if (v) return { violation: v, trace, randomSteps: trace.length, world: after };
    w = after;
  }
  const randomSteps = trace.length;
  if (!session.liveness) return { trace, randomSteps, world: w };
  const quiet = w;
  const fair = fairSchedule(w, config, model);
  for (let r = fair.next(); ; r = fair.next()) {
    if (r.done) {
      w = r.value;
      break;
    }
    const [choice, after] = r.value;
    trace.push(choice);
    session.observe?.(w, choice, after);
    const v = checkSafety(safety, w, choice, after, config, trace.length - 1);
    if (v) return { violation: v, trace, randomSteps, world: after };
    w = after;
  }
  for (const inv of session.invariants) {
    if (inv.kind !== 'liveness') continue;
    const message = inv.check(quiet, null, w, config);
    if (message)
      return {
        violation: { invariant: inv.id, statement: inv.statement, message, step: trace.length, choice: null },
        trace,
        randomSteps,
        world: w,
      };
  }
  return { trace, randomSteps, world: w };
}

/**
 * The world every run of a session starts from, made once: it is a function of the config and
 * the model (a run is a function of (config, seed)), and worlds are never changed once made.
 */
const starts = new WeakMap<Model, WeakMap<WorldConfig, World>>();
function startOf(config: WorldConfig, model: Model): World {
  let byConfig = starts.get(model);
  if (!byConfig) starts.set(model, (byConfig = new WeakMap()));
  let w = byConfig.get(config);
  if (!w) byConfig.set(config, (w = initialWorld(config, model)));
  return w;
}

function checkSafety(
  invariants: Invariant[],
  before: World,
  choice: Choice,
  after: World,
  config: WorldConfig,
  index: number,
): Violation | undefined {
  for (const inv of invariants) {
    const message = inv.check(before, choice, after, config);
    if (message) return { invariant: inv.id, statement: inv.statement, message, step: index, choice };
  }
  return undefined;
}
