import type { Choice, World, WorldConfig } from '../world/types.ts';
import type { Model } from '../world/model.ts';
import { isSettled } from '../world/view.ts';
import { enabled } from '../world/world.ts';
import { stateHash } from './canonical.ts';
import { fairSchedule, healingChoices, settleBoundMs } from '../world/quiesce.ts';

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

/** The fair schedule has something to do: a message, a callback, stale metadata or a timer. */
const hasFairChoice = (w: World, config: WorldConfig): boolean =>
  w.net.length > 0 || enabled(w, config).some((c) => c.kind === 'callback' || c.kind === 'metadata' || c.kind === 'fire');

export class LivenessChecker {
  /** Fingerprint of a fair-schedule state (ordered, no symmetry) -> ms until settled, or NEVER. */
  private memo = new Map<number, number>();
  walks = 0;
  walkSteps = 0;

  constructor(
    private config: WorldConfig,
    private model: Model,
    /** Settling later than this is `slow` (default: eventually-stable's bound). */
    private bound = settleBoundMs(config),
  ) {}

  private key(w: World): number {
    return stateHash(w, { symmetry: false, ordered: true });
  }

  check(start: World): Outcome {
    this.walks++;
    const bound = this.bound;
    const heals = healingChoices(start).length;
    // Already settled, with no fault left to end: nothing to walk (and nothing worth remembering).
    if (heals === 0 && isSettled(start)) return { kind: 'settles', ms: 0 };
    const steps: Choice[] = [];
    const seen = new Map<number, number>(); // key -> index in `path`
    const path: Array<{ key: number; now: number }> = [];
    const finish = (msFrom: (i: number) => number): void => {
      for (let i = 0; i < path.length; i++) this.memo.set(path[i].key, msFrom(i));
    };
    const visit = (w: World, at: number): Outcome | number | undefined => {
      const key = this.key(w);
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
    const gen = fairSchedule(start, this.config, this.model);
    // The start itself is not looked up: it is new to the explorer, while its fair successor
    // has often been passed by an earlier walk. A cycle through the start shows at its successor.
    let w = start;
    for (let r = gen.next(); !r.done; r = gen.next()) {
      const [choice, after] = r.value;
      steps.push(choice);
      this.walkSteps++;
      w = after;
      if (steps.length < heals) continue;
      if (isSettled(w)) break;
      const v = visit(w, steps.length);
      if (v !== undefined) {
        if (typeof v === 'number' && v !== NEVER) finish((i) => v - (path[i].now - start.now));
        return this.outcome(v, bound, steps);
      }
    }
    if (!isSettled(w)) {
      if (!hasFairChoice(w, this.config)) {
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
