import { noBudgets, type Budgets } from '../explore/bounds.ts';
import { exploreSpec, resolveSpec } from '../explore/spec.ts';
import { campaign } from '../random/campaign.ts';
import type { Choice, Protocol, World } from '../world/types.ts';
import { placeLabel, placeSession, placesFor } from './configs.ts';
import { mutantVariant, parseMutant, type Mutant } from './mutants.ts';
import { implementations } from './machines.ts';
import { assignorStage } from './assignor-stage.ts';

// One mutant, in this thread: a budgeted `check` campaign in each of its places, then, if it
// survived, `explore` from the smallest instance up until one reaches the mutated decision.
// Budgets are counts (runs, states), so a result is a function of (mutant, budget); the
// wall-clock cap only cuts a mutant that is too slow, and the result says so (`capped`).

export interface Budget {
  /** Random runs per place (two places per mutant). */
  runs: number;
  maxSteps: number;
  seed: number;
  /** States per explore rung. */
  exploreStates: number;
  /** Wall-clock cap of one mutant, seconds (a worker silent for 12 s more is stopped: a hang). */
  maxSeconds: number;
}

export const defaultBudget: Budget = { runs: 30, maxSteps: 60, seed: 42, exploreStates: 2_000, maxSeconds: 8 };

export type Status = 'killed' | 'survived' | 'not-reached';

export interface Kill {
  /**
   * `check` and `explore` found an invariant violated; `crash`: the model threw; `livelock`:
   * messages chased each other without virtual time passing; `hang`: a step never returned;
   * `assignor`: a client-side assignor mutant broke a property of `rebalance-check assignor`
   * on generated groups (src/mutate/assignor-stage.ts).
   */
  engine: 'check' | 'explore' | 'crash' | 'livelock' | 'hang' | 'assignor';
  invariant: string;
  message: string;
  /** Steps of the (shrunk) counterexample; absent for a crash or hang. */
  steps?: number;
  place: string;
}

export interface MutantResult extends Mutant {
  status: Status;
  kill?: Kill;
  seconds: number;
  /** Seconds until the violation was found (before shrinking): the time to kill. */
  killSeconds?: number;
  /** Random runs and explored states spent. */
  runs: number;
  states: number;
  /** How often the mutated decision was evaluated. */
  reached: number;
  /** The wall-clock cap cut the budget: the result may differ on a faster machine. */
  capped?: boolean;
}

/** Explore rungs, smallest first: the first whose exploration reaches the decision is explored in full. */
function rungs(protocols: Protocol[], assignor: string | undefined) {
  const order: Protocol[] = (['cooperative', 'eager', 'consumer'] as Protocol[]).filter((p) => protocols.includes(p));
  const budgets: Budgets = { ...noBudgets, crash: 1, start: 1, process: 1, commit: 1, addPartition: 1 };
  const shapes = [
    { members: 1, partitions: 1, static: false },
    { members: 1, partitions: 1, static: true },
    { members: 2, partitions: 1, static: false },
    { members: 2, partitions: 2, static: true },
  ];
  return shapes.flatMap((s) => order.map((protocol) => ({ ...s, protocol, assignor, budgets, maxDepth: 14, maxInFlight: 2 })));
}

/**
 * Steps without virtual time passing that no correct group needs: deliveries and callbacks take
 * no time, but a correct model answers each request once, so a few dozen such steps in a row is
 * already a lot. More means messages chase each other forever at one instant (a request storm),
 * which the fair schedule would otherwise follow for 20,000 slow steps before giving up.
 */
export const LIVELOCK_STEPS = 500;

export class Livelock extends Error {}

/** A session observer that throws Livelock after LIVELOCK_STEPS steps at one virtual instant. */
export function livelockGuard() {
  let at = -1;
  let same = 0;
  return (_before: World, _choice: Choice, after: World) => {
    if (after.now !== at) {
      at = after.now;
      same = 0;
    } else if (++same >= LIVELOCK_STEPS) throw new Livelock(`${LIVELOCK_STEPS} steps without virtual time passing at ${at} ms`);
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);

/**
 * A mixed group runs both coordinator machines, and a variant's coordinator overrides reach both:
 * a coordinator decision whose name the other coordinator also has (isTimer, storeCommit) would
 * be mutated there too, so it is not run in a migration place.
 */
function shared(id: string): boolean {
  const [machine, name] = id.split('/');
  const other = machine === 'kip848-coordinator' ? 'classic-coordinator' : machine === 'classic-coordinator' ? 'kip848-coordinator' : null;
  if (other === null) return false;
  const impl = implementations(other);
  return name in impl.guards || name in impl.actions;
}

export function runMutant(id: string, budget: Budget): MutantResult {
  const mutant = parseMutant(id);
  if (!mutant) throw new Error(`unknown mutant ${id}`);
  const started = performance.now();
  const deadline = started + budget.maxSeconds * 1000;
  let reached = 0;
  const variant = mutantVariant(id, () => reached++);
  let runs = 0;
  let states = 0;
  let capped = false;
  let killedAt: number | undefined;
  const done = (status: Status, kill?: Kill): MutantResult => ({
    ...mutant,
    status,
    ...(kill && { kill }),
    seconds: (performance.now() - started) / 1000,
    ...(status === 'killed' && { killSeconds: killedAt ?? (performance.now() - started) / 1000 }),
    runs,
    states,
    reached,
    ...(capped && { capped }),
  });
  const assignor = mutant.assignors?.[0];
  for (const place of placesFor(mutant.protocols, assignor, mutant.id.split('/')[0]).filter((p) => !p.migration || !shared(id))) {
    const label = placeLabel(place);
    const left = deadline - performance.now();
    if (left <= 0) {
      capped = true;
      break;
    }
    try {
      const s = { ...placeSession(place, variant), observe: livelockGuard() };
      const opts = { runs: budget.runs, seed: budget.seed, maxSteps: budget.maxSteps };
      // Find first (the time to kill), then shrink that case alone, under what is left of the cap.
      const found = campaign(s, { ...opts, shrink: false, maxTimeMs: left });
      runs += found.runs;
      if (found.interrupted) capped = true;
      if (found.failure) {
        killedAt = (performance.now() - started) / 1000;
        const shrunk = campaign(s, { ...opts, path: found.failure.path, maxTimeMs: Math.max(1, deadline - performance.now()) });
        if (shrunk.interrupted) capped = true;
        const f = shrunk.failure ?? found.failure;
        const v = f.violation;
        return done('killed', { engine: 'check', invariant: v.invariant, message: v.message, steps: f.choices.length, place: label });
      }
    } catch (e) {
      if (e instanceof Livelock)
        return done('killed', { engine: 'livelock', invariant: 'zero-time-livelock', message: e.message, place: label });
      return done('killed', { engine: 'crash', invariant: 'model-threw', message: message(e), place: label });
    }
  }
  // A client-side assignor mutant the protocol runs left alive: the assignor alone, on generated groups.
  const [side, name, op] = id.split('/');
  if (side === 'assignor' && performance.now() < deadline) {
    try {
      const kill = assignorStage(name, op, budget.seed, (deadline - performance.now()) / 10, () => reached++);
      if (kill) {
        killedAt = (performance.now() - started) / 1000;
        return done('killed', { engine: 'assignor', ...kill, place: `assignor properties (${name}, generated groups)` });
      }
    } catch (e) {
      return done('killed', { engine: 'crash', invariant: 'model-threw', message: message(e), place: `assignor properties (${name})` });
    }
  }
  const before = reached;
  for (const rung of rungs(mutant.protocols, assignor)) {
    if (performance.now() >= deadline) {
      capped = true;
      break;
    }
    const { spec } = resolveSpec(variant, rung);
    const label = `explore ${spec.protocol}/${spec.assignor} ${spec.members}x${spec.partitions}${spec.static ? ' static' : ''}`;
    const atStart = reached;
    try {
      const r = exploreSpec(
        spec,
        { maxStates: budget.exploreStates, stopAt: () => (performance.now() > deadline ? 0 : Number.POSITIVE_INFINITY) },
        variant,
      );
      states += r.states;
      if (r.cancelled) capped = true;
      if (r.violation) {
        killedAt = (performance.now() - started) / 1000;
        return done('killed', {
          engine: 'explore',
          invariant: r.violation.invariant,
          message: r.violation.message,
          steps: r.violation.path.length,
          place: label,
        });
      }
    } catch (e) {
      return done('killed', { engine: 'crash', invariant: 'model-threw', message: message(e), place: label });
    }
    // The smallest instance that reaches the decision has been explored: larger ones cost more.
    if (reached > atStart) break;
  }
  return done(reached > 0 || reached > before ? 'survived' : 'not-reached');
}
