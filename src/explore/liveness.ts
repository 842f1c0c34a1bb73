import type { Choice, World, WorldConfig } from '../world/types.ts';
import type { Model } from '../world/model.ts';
import { isSettled } from '../world/view.ts';
import { step } from '../world/world.ts';
import { FingerprintMap } from './store.ts';
import { fairChoice, healingChoices, MAX_FAIR_STEPS, settleBoundMs } from '../world/quiesce.ts';

// Liveness for the explorer: from every reachable state, stop the faults and follow the fair
// schedule (deterministic, src/world/quiesce.ts). The group must become stable within the
// same bound the random runner uses. The walk stops early at a state whose outcome is known,
// and a walk that comes back to a state it passed (same key, time-relative) is a cycle: the
// group can never become stable, shown as a lasso (the path, the stem, then the cycle).

/** Result of one walk: settled in `ms`, or never (a cycle), or not within the bound. */
export type Outcome =
  | { kind: 'settles'; ms: number }
  /** A lasso; an empty cycle is a dead end (nothing left to happen: the state repeats forever). */
  | { kind: 'cycle'; stem: Choice[]; cycle: Choice[] }
  /** Settled later than the bound; `unsettled`: not settled when the fair schedule's own bound ran out. */
  | { kind: 'slow'; ms: number; steps: Choice[]; unsettled?: boolean };

const NEVER = -1;

/** A fair step with its successor's fair key (fairHash). */
export interface FairStep {
  choice: Choice;
  world: World;
  key: number;
}

export class LivenessChecker {
  /** Fair key of a fair-schedule state (fairHash) -> ms until settled, or NEVER. */
  private memo = new FingerprintMap();
  walks = 0;
  walkSteps = 0;

  /** `key`: the fair schedule's fingerprint (fairHash, with the explorer's message-age setting). */
  constructor(
    private config: WorldConfig,
    private model: Model,
    private key: (w: World) => number,
    /** Settling later than this is `slow` (default: eventually-stable's bound). */
    private bound = settleBoundMs(config),
  ) {}

  /** Bytes the memo holds. */
  get bytes(): number {
    return this.memo.bytes;
  }

  /**
   * The fair schedule from `start`, resolved against what earlier walks learnt. The fair
   * successors form a functional graph (one successor per state), so remembering each state's
   * outcome once it is known decides every state with one visit: a walk ends at the first
   * state already decided, and settles the states it passed from there. `first`, when given,
   * takes the first fair step from a start with no fault to heal, given its choice (the
   * explorer shares that step with the expansion of `start`, which takes it too); undefined
   * leaves it to the walk.
   */
  check(start: World, first?: (choice: Choice) => FairStep | undefined): Outcome {
    this.walks++;
    const bound = this.bound;
    const heals = healingChoices(start);
    // Already settled, with no fault left to end: nothing to walk (and nothing worth remembering).
    if (heals.length === 0 && isSettled(start)) return { kind: 'settles', ms: 0 };
    const steps: Choice[] = [];
    const seen = new Map<number, number>(); // key -> index in `path`
    const path: Array<{ key: number; now: number }> = [];
    const finish = (msFrom: (i: number) => number): void => {
      for (let i = 0; i < path.length; i++) this.memo.set(path[i].key, msFrom(i));
    };
    const visit = (w: World, at: number, key: number): Outcome | number | undefined => {
      const known = this.memo.get(key);
      if (known !== undefined) return known === NEVER ? NEVER : known + (w.now - start.now);
      const first = seen.get(key);
      if (first !== undefined) {
        // Back where the walk was `at - first` steps ago, with no settled state between.
        finish(() => NEVER);
        return { kind: 'cycle', stem: steps.slice(0, first), cycle: steps.slice(first, at) };
      }
      seen.set(key, path.length);
      path.push({ key, now: w.now });
      return undefined;
    };
    const resolved = (v: Outcome | number): Outcome => {
      if (typeof v === 'number' && v !== NEVER) finish((i) => v - (path[i].now - start.now));
      return this.outcome(v, bound, steps);
    };
    // The same steps as fairSchedule (src/world/quiesce.ts): the faults end first, then the
    // fair choices until the group settles, the time bound passes or nothing can happen.
    // The start itself is not looked up: it is new to the explorer, while its fair successor
    // has often been passed by an earlier walk. A cycle through the start shows at its successor.
    let w = start;
    for (const c of heals) {
      w = step(w, c, this.config, this.model);
      steps.push(c);
      this.walkSteps++;
    }
    if (heals.length > 0 && !isSettled(w)) {
      const v = visit(w, steps.length, this.key(w));
      if (v !== undefined) return resolved(v);
    }
    // The walk runs to eventually-stable's bound; a tighter `bound` only classifies its time.
    const deadline = w.now + settleBoundMs(this.config);
    let settled = isSettled(w);
    for (let n = 0; !settled && n < MAX_FAIR_STEPS; n++) {
      const choice = fairChoice(w, this.config);
      if (!choice) break;
      const given = n === 0 && heals.length === 0 ? first?.(choice) : undefined;
      const next = given?.world ?? step(w, choice, this.config, this.model);
      if (next.now > deadline) break;
      steps.push(choice);
      this.walkSteps++;
      w = next;
      settled = isSettled(w);
      if (settled) break;
      const v = visit(w, steps.length, given?.key ?? this.key(w));
      if (v !== undefined) return resolved(v);
    }
    if (!settled) {
      // Nothing left to happen: a dead end.
      if (fairChoice(w, this.config) === undefined) {
        finish(() => NEVER);
        return { kind: 'cycle', stem: steps, cycle: [] };
      }
      return { kind: 'slow', ms: w.now - start.now, steps, unsettled: true };
    }
    const end = w.now;
    finish((i) => end - path[i].now);
    return this.outcome(end - start.now, bound, steps);
  }

  private outcome(r: Outcome | number, bound: number, steps: Choice[]): Outcome {
    if (typeof r !== 'number') return r;
    if (r === NEVER) return { kind: 'cycle', stem: steps, cycle: [] };
    return r > bound ? { kind: 'slow', ms: r, steps } : { kind: 'settles', ms: r };
  }
}
