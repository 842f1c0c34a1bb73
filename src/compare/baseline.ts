import { UsageError } from '../core/errors.ts';
import { metricInfo, type ComparisonResult, type Timing } from './compare.ts';

// Quantitative baselines for `compare`: the figures of every (scenario, design) pair, stored in
// a JSON file, and a check of new figures against them. Every figure is a cost (lower is
// better), so a figure above its baseline by more than the tolerance is a regression.
//
// Runs are seeded and the model is deterministic, so with the same runs, seed and timing the
// figures repeat exactly: the default tolerance is zero (with a rounding allowance for the
// means). Tolerances are for figures that legitimately wobble: a design whose own code is not a
// function of its input (a user's assignor that reads the clock or Math.random), or a baseline
// kept across model changes meant to move figures a little.

export const BASELINE_FORMAT = 'rebalance-check/baseline@1';

export interface Tolerance {
  /** Allowed rise as a fraction of the baseline (0.1 = 10 %). */
  relative: number;
  /** Allowed rise in the figure's own unit. */
  absolute: number;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  runs: number;
  seed: number;
  timing: Timing;
  /** `default` applies to every figure without its own entry (keys as in `figures`). */
  tolerances: { default: Tolerance } & Record<string, Tolerance>;
  /** scenario -> design -> figure -> mean over the runs. */
  figures: Record<string, Record<string, Record<string, number>>>;
}

/** Rounding allowance: means of integers over a few runs, printed and parsed back. */
const EPSILON = 1e-9;
export const exactTolerance: Tolerance = { relative: 0, absolute: 0 };

/** The figures of one design in one comparison: every metric's mean, time to stable per change, violating runs. */
export function figuresOf(r: ComparisonResult): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const d of r.designs) {
    const f: Record<string, number> = {};
    for (const m of metricInfo) {
      if (m.key === 'timeToStableMs' || m.key === 'violations') continue;
      f[m.key] = d.metrics[m.key].mean;
    }
    d.timeToStableMs.forEach((t, i) => {
      // A change that never settled counts as the liveness bound's worth: unsettled is the worst.
      f[`timeToStableMs[${i}] ${t.change}`] = t.unsettled > 0 ? Number.MAX_SAFE_INTEGER : t.mean;
    });
    f.violatingRuns = d.violatingRuns;
    out[d.design] = f;
  }
  return out;
}

export function makeBaseline(results: ComparisonResult[], tolerances?: Baseline['tolerances']): Baseline {
  const first = results[0];
  return {
    format: BASELINE_FORMAT,
    runs: first.runs,
    seed: first.seed,
    timing: first.timing,
    tolerances: tolerances ?? { default: exactTolerance },
    figures: Object.fromEntries(results.map((r) => [r.scenario.name, figuresOf(r)])),
  };
}

/** Reads a baseline file's text; a malformed one is a usage error naming what is wrong. */
export function parseBaseline(text: string, file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  const b = raw as Partial<Baseline>;
  if (typeof b !== 'object' || b === null || b.format !== BASELINE_FORMAT)
    throw new UsageError(`${file}: not a baseline file (expected "format": "${BASELINE_FORMAT}")`);
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (!num(b.runs) || !num(b.seed)) throw new UsageError(`${file}: "runs" and "seed" must be numbers`);
  const lat = b.timing?.latencyMs;
  if (!Array.isArray(lat) || lat.length !== 2 || !lat.every(num) || !num(b.timing?.revocationCallbackMs))
    throw new UsageError(`${file}: "timing" must be { "latencyMs": [min, max], "revocationCallbackMs": n }`);
  const tol = b.tolerances ?? { default: exactTolerance };
  for (const [k, t] of Object.entries(tol))
    if (!num(t?.relative) || !num(t?.absolute) || t.relative < 0 || t.absolute < 0)
      throw new UsageError(`${file}: tolerance '${k}' must be { "relative": >= 0, "absolute": >= 0 }`);
  if (!tol.default) throw new UsageError(`${file}: "tolerances" needs a "default" entry`);
  if (typeof b.figures !== 'object' || b.figures === null) throw new UsageError(`${file}: "figures" is missing`);
  for (const [sc, designs] of Object.entries(b.figures))
    for (const [d, figs] of Object.entries(designs ?? {}))
      for (const [k, v] of Object.entries(figs ?? {}))
        if (!num(v)) throw new UsageError(`${file}: figure ${sc} / ${d} / ${k} is not a number`);
  return { ...(b as Baseline), tolerances: tol as Baseline['tolerances'] };
}

export interface FigureChange {
  scenario: string;
  design: string;
  figure: string;
  baseline: number;
  now: number;
  allowed: number;
  kind: 'regression' | 'improvement';
}

export interface BaselineCheck {
  changes: FigureChange[];
  regressions: FigureChange[];
  /** (scenario, design) pairs measured but absent from the baseline, and the reverse. */
  unknown: string[];
  missing: string[];
}

/** Compares measured results with a baseline: what rose past its tolerance, what fell. */
export function checkBaseline(base: Baseline, results: ComparisonResult[]): BaselineCheck {
  const changes: FigureChange[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    const now = figuresOf(r);
    for (const [design, figs] of Object.entries(now)) {
      const old = base.figures[r.scenario.name]?.[design];
      seen.add(`${r.scenario.name} / ${design}`);
      if (!old) {
        unknown.push(`${r.scenario.name} / ${design}`);
        continue;
      }
      for (const [figure, value] of Object.entries(figs)) {
        const b = old[figure];
        if (b === undefined) continue;
        const t = base.tolerances[figure.replace(/\[\d+\].*$/, '')] ?? base.tolerances.default;
        const allowed = Math.abs(b) * t.relative + t.absolute + EPSILON;
        if (value > b + allowed)
          changes.push({ scenario: r.scenario.name, design, figure, baseline: b, now: value, allowed, kind: 'regression' });
        else if (value < b - allowed)
          changes.push({ scenario: r.scenario.name, design, figure, baseline: b, now: value, allowed, kind: 'improvement' });
      }
    }
  }
  const missing: string[] = [];
  for (const [sc, designs] of Object.entries(base.figures))
    for (const d of Object.keys(designs))
      if (!seen.has(`${sc} / ${d}`) && results.some((r) => r.scenario.name === sc)) missing.push(`${sc} / ${d}`);
  return { changes, regressions: changes.filter((c) => c.kind === 'regression'), unknown, missing };
}

const fmt = (x: number) => (x >= Number.MAX_SAFE_INTEGER ? 'never' : Number.isInteger(x) ? String(x) : x.toFixed(3));

/** One line per figure that moved. */
export function formatBaselineCheck(c: BaselineCheck): string[] {
  return c.changes.map(
    (x) =>
      `${x.kind === 'regression' ? 'regressed' : 'improved '} ${x.scenario} / ${x.design} / ${x.figure}: ${fmt(x.baseline)} -> ${fmt(x.now)}` +
      (x.kind === 'regression' ? ` (allowed up to ${fmt(x.baseline + x.allowed)})` : ''),
  );
}
