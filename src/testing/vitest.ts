// `import { protocolTest } from 'rebalance-check/vitest'`: a protocol campaign as a test in the
// user's own vitest suite, with their variant or assignor. A violation fails the test with the
// invariant, its message and the shrunk steps, and the counterexample is saved for `replay`.
import { test } from 'vitest';
import { check, resolveVariant, type CheckOptions, type CheckReport } from '../api/check.ts';
import { writeCounterexample } from '../replay/save.ts';
import { session } from '../run/config.ts';
import { replayStored } from '../replay/replay.ts';
import { timeline } from '../replay/timeline.ts';

export interface ProtocolTestOptions extends CheckOptions {
  /** The test passes only if this invariant is violated (to pin down that a broken design is caught). */
  expectViolation?: string;
  /** Where a violation's counterexample file goes (default `counterexamples`; `false`: not saved). */
  out?: string | false;
  /** The test's time limit in ms (default 120,000). */
  timeout?: number;
}

/** The failure as a test report shows it: the campaign, the invariant, the steps, the replay command. */
export async function describeFailure(report: CheckReport, options: ProtocolTestOptions): Promise<string> {
  const c = report.campaigns.find((x) => !x.ok);
  if (!c?.counterexample || !c.violation) return 'every invariant holds';
  const cx = c.counterexample;
  const s = session(cx.config, await resolveVariant(options.variant));
  const { choices } = replayStored(s, cx.choices, 'counterexample');
  const steps = timeline(s, choices)
    .slice(1)
    .map((r) => `  ${String(r.index + 1).padStart(4)} ${String(r.now).padStart(7)}  ${r.text}`);
  const file = options.out === false ? undefined : writeCounterexample(options.out ?? 'counterexamples', cx);
  return [
    `${c.label}: invariant ${c.violation.invariant} violated`,
    `  ${c.violation.statement}`,
    `  ${c.violation.message}`,
    ...steps,
    ...(file ? [`  Replay: npx rebalance-check replay ${file}`] : []),
  ].join('\n');
}

/** Registers a vitest test that runs `check(options)`: it passes when every invariant holds (or, with `expectViolation`, when that one fails). */
export function protocolTest(name: string, options: ProtocolTestOptions = {}): void {
  test(name, { timeout: options.timeout ?? 120_000 }, async () => {
    const report = await check(options);
    const failed = report.campaigns.find((c) => !c.ok);
    if (options.expectViolation === undefined) {
      if (failed) throw new Error(await describeFailure(report, options));
      return;
    }
    if (!failed) throw new Error(`expected invariant ${options.expectViolation} to be violated, but every invariant held`);
    if (failed.violation?.invariant !== options.expectViolation)
      throw new Error(`expected invariant ${options.expectViolation} to be violated, got:\n${await describeFailure(report, options)}`);
  });
}
