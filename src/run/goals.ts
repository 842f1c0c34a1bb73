import { goals as allGoals, goalsFor, type Goal } from '../../properties/goals/index.ts';
import type { Choice, World, WorldConfig } from '../world/types.ts';

// Counts, per reachability goal, the steps of a campaign (random runs or an exploration) that
// reached it. A goal that applies to the configuration and was never reached is a named gap in
// what the campaign tested; `--require-goals` turns the gap into a failure.

export interface GoalHit {
  id: string;
  statement: string;
  /** Steps that reached it (in `explore`: transitions out of the states this thread checked). */
  hits: number;
  /** Whether the configuration can reach it at all; when not, `needs` says what it lacks. */
  applies: boolean;
  needs?: string;
}

export class GoalTracker {
  readonly hits = new Map<string, number>();
  private readonly applicable: Goal[];

  constructor(private readonly config: WorldConfig) {
    this.applicable = goalsFor(config);
  }

  /** Records one step (the `observe` hook of a session or of the explorer). */
  observe = (before: World, choice: Choice, after: World): void => {
    for (const g of this.applicable) if (g.reached(before, choice, after, this.config)) this.hits.set(g.id, (this.hits.get(g.id) ?? 0) + 1);
  };

  /** Adds another tracker's counts (shards, workers, several campaigns). */
  merge(counts: Record<string, number>): void {
    for (const [id, n] of Object.entries(counts)) this.hits.set(id, (this.hits.get(id) ?? 0) + n);
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.hits);
  }

  /** Every goal of the protocol, with its hits and whether it applies here. */
  report(): GoalHit[] {
    const applies = new Set(this.applicable.map((g) => g.id));
    const protocol = this.config.protocol;
    return allGoals
      .filter((g) => g.protocols.includes(protocol))
      .map((g) => ({
        id: g.id,
        statement: g.statement,
        hits: this.hits.get(g.id) ?? 0,
        applies: applies.has(g.id),
        ...(!applies.has(g.id) && g.needs && { needs: g.needs.text }),
      }));
  }
}

/** The goals that apply and were never reached. */
export const missedGoals = (report: GoalHit[]): GoalHit[] => report.filter((g) => g.applies && g.hits === 0);

/** Composes two step observers (coverage and goals may both watch a run). */
export function observeBoth(
  a: ((b: World, c: Choice, w: World) => void) | undefined,
  b: ((b: World, c: Choice, w: World) => void) | undefined,
): ((b: World, c: Choice, w: World) => void) | undefined {
  if (!a || !b) return a ?? b;
  return (x, c, y) => {
    a(x, c, y);
    b(x, c, y);
  };
}
