import type { MutantResult } from './run-mutant.ts';
import type { SurvivorRecords } from './survivors.ts';

// The mutation score: killed / (mutants - recorded equivalent ones), per machine or assignor
// and overall; and the figures the bench holds to the issue's targets.

export interface GroupScore {
  group: string;
  mutants: number;
  killed: number;
  survived: number;
  notReached: number;
  equivalent: number;
  /** killed / (mutants - equivalent); null when nothing counts (no mutant finished, or only equivalent ones). */
  score: number | null;
}

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function scoreOf(group: string, rs: MutantResult[], records: SurvivorRecords): GroupScore {
  const killed = rs.filter((r) => r.status === 'killed').length;
  const equivalent = rs.filter((r) => r.status !== 'killed' && records[r.id]?.kind === 'equivalent').length;
  const counted = rs.length - equivalent;
  return {
    group,
    mutants: rs.length,
    killed,
    survived: rs.filter((r) => r.status === 'survived').length,
    notReached: rs.filter((r) => r.status === 'not-reached').length,
    equivalent,
    score: counted === 0 ? null : killed / counted,
  };
}

export function scores(results: MutantResult[], records: SurvivorRecords): { groups: GroupScore[]; total: GroupScore } {
  const groups = [...new Set(results.map((r) => r.group))].map((g) =>
    scoreOf(
      g,
      results.filter((r) => r.group === g),
      records,
    ),
  );
  return { groups, total: scoreOf('all', results, records) };
}

export interface Figures {
  /** null when no counted mutant finished. */
  score: number | null;
  /** Median seconds to find the violation (before shrinking), over killed mutants. */
  medianKillSeconds?: number;
  /** Median steps of the shrunk counterexample, over mutants killed by an invariant. */
  medianSteps?: number;
}

export function figures(results: MutantResult[], records: SurvivorRecords): Figures {
  const killed = results.filter((r) => r.status === 'killed');
  return {
    score: scores(results, records).total.score,
    medianKillSeconds: median(killed.map((r) => r.killSeconds ?? r.seconds)),
    medianSteps: median(killed.flatMap((r) => (r.kill?.steps === undefined ? [] : [r.kill.steps]))),
  };
}

/** The issue's targets: >= 95% of non-equivalent mutants killed, median time to kill < 5 s, median counterexample <= 10 steps. */
export const targets = { score: 0.95, medianKillSeconds: 5, medianSteps: 10 };

export function targetLines(f: Figures): string[] {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const secs = f.medianKillSeconds;
  const steps = f.medianSteps;
  return [
    f.score === null
      ? `mutation score n/a: no mutant finished that counts (target >= ${100 * targets.score}%): ${met(false)}`
      : `mutation score ${(100 * f.score).toFixed(1)}% (target >= ${100 * targets.score}%): ${met(f.score >= targets.score)}`,
    `median time to kill ${secs === undefined ? '-' : `${secs.toFixed(2)} s`} (target < ${targets.medianKillSeconds} s): ${met(secs !== undefined && secs < targets.medianKillSeconds)}`,
    `median shrunk counterexample ${steps === undefined ? '-' : `${steps} steps`} (target <= ${targets.medianSteps}): ${met(steps !== undefined && steps <= targets.medianSteps)}`,
  ];
}
