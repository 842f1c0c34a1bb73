import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.ts';
import type { GoalHit } from '../run/goals.ts';

// Reports for CI readers: JUnit XML (a testsuite per campaign, a testcase per invariant and
// per goal, a failure per violation carrying the replay command) and GitHub Actions workflow
// commands (`::error file=...,title=...::message`), which show up on the pull request.

export const reporters = ['junit', 'github'] as const;
export type Reporter = (typeof reporters)[number];

export interface ReporterOptions {
  reporter?: string;
  reportFile?: string;
}

/** What one campaign (a protocol x assignor of `check`, or an exploration) did, for a report. */
export interface CampaignOutcome {
  /** The campaign's label, e.g. `cooperative/cooperative-sticky (3 members x 6 partitions)`. */
  name: string;
  seconds: number;
  /** The invariants it checked, by id. */
  invariants: string[];
  violation?: { invariant: string; statement: string; message: string; replay: string; file?: string };
  /** The goals of its protocol, when tracked; `required`: a missed one is a failure. */
  goals?: GoalHit[];
  goalsRequired?: boolean;
  /** Shown as properties of the suite (seed, runs, shard...). */
  properties?: Record<string, string | number>;
}

export function addReporterOptions(cmd: Command): Command {
  return cmd
    .option(
      '--reporter <names>',
      'also report for CI: junit (an XML file, see --report-file), github (annotations on stdout), or both: junit,github',
    )
    .option('--report-file <file>', 'where --reporter junit writes its XML', 'rebalance-check-junit.xml');
}

export function parseReporters(opts: ReporterOptions): Reporter[] {
  if (opts.reporter === undefined) return [];
  const names = opts.reporter.split(',').map((r) => r.trim());
  const bad = names.find((r) => !reporters.includes(r as Reporter));
  if (bad !== undefined) throw new UsageError(`unknown --reporter '${bad}' (known: ${reporters.join(', ')})`);
  return names as Reporter[];
}

/** Writes the report the options ask for (nothing without --reporter). */
export function emitReport(opts: ReporterOptions, command: string, outcomes: CampaignOutcome[]): void {
  const chosen = parseReporters(opts);
  if (chosen.includes('junit')) {
    const file = opts.reportFile ?? 'rebalance-check-junit.xml';
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, junitXml(command, outcomes, new Date()));
    } catch (e) {
      throw new UsageError(`cannot write --report-file ${file}: ${(e as Error).message}`);
    }
  }
  if (chosen.includes('github')) for (const line of githubAnnotations(command, outcomes)) console.log(line);
}

const xml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 does not allow (the terminal colour escape among them).
    .split('')
    .filter((c) => c.charCodeAt(0) >= 0x20 || c === '\t' || c === '\n' || c === '\r')
    .join('');

const attrs = (a: Record<string, string | number | undefined>): string =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');

interface Case {
  name: string;
  failure?: { type: string; message: string; text: string };
}

function casesOf(o: CampaignOutcome): Case[] {
  const cases: Case[] = o.invariants.map((id) => {
    const v = o.violation?.invariant === id ? o.violation : undefined;
    return {
      name: `invariant ${id}`,
      ...(v && {
        failure: {
          type: 'invariant',
          message: `${v.invariant}: ${v.message}`,
          text: `${v.statement}\n${v.message}\n${v.file ? `Counterexample: ${v.file}\n` : ''}Replay: ${v.replay}\n`,
        },
      }),
    };
  });
  for (const g of o.goals ?? []) {
    if (!g.applies) continue;
    const missed = g.hits === 0 && o.goalsRequired === true;
    cases.push({
      name: `goal ${g.id}`,
      ...(missed && {
        failure: {
          type: 'goal',
          message: `goal ${g.id} never reached`,
          text: `${g.statement}\nThe campaign never reached it: raise --runs or --max-steps.\n`,
        },
      }),
    });
  }
  return cases;
}

const seconds = (s: number): string => s.toFixed(3);

/** The JUnit XML report: one testsuite per campaign. `now` is the report's timestamp. */
export function junitXml(command: string, outcomes: CampaignOutcome[], now: Date): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, '');
  const suites = outcomes.map((o, i) => ({ o, cases: casesOf(o), i }));
  const failures = suites.reduce((a, s) => a + s.cases.filter((c) => c.failure).length, 0);
  const tests = suites.reduce((a, s) => a + s.cases.length, 0);
  const total = outcomes.reduce((a, o) => a + o.seconds, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `rebalance-check ${command}`, tests, failures, errors: 0, time: seconds(total) })}>`,
  ];
  for (const { o, cases, i } of suites) {
    const classname = `rebalance-check.${command}.${o.name.split(' ')[0]}`;
    lines.push(
      `  <testsuite${attrs({
        name: o.name,
        tests: cases.length,
        failures: cases.filter((c) => c.failure).length,
        errors: 0,
        skipped: 0,
        time: seconds(o.seconds),
        timestamp: stamp,
        hostname: hostname(),
        id: i,
        package: `rebalance-check.${command}`,
      })}>`,
    );
    lines.push('    <properties>');
    for (const [k, v] of Object.entries(o.properties ?? {})) lines.push(`      <property${attrs({ name: k, value: v })}/>`);
    lines.push('    </properties>');
    for (const c of cases) {
      if (!c.failure) {
        lines.push(`    <testcase${attrs({ name: c.name, classname, time: '0' })}/>`);
        continue;
      }
      lines.push(`    <testcase${attrs({ name: c.name, classname, time: seconds(o.seconds) })}>`);
      lines.push(`      <failure${attrs({ type: c.failure.type, message: c.failure.message })}>${xml(c.failure.text)}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('    <system-out></system-out>', '    <system-err></system-err>', '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
const ghData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error` line per violation and per required goal never reached. */
export function githubAnnotations(command: string, outcomes: CampaignOutcome[]): string[] {
  const out: string[] = [];
  for (const o of outcomes) {
    const v = o.violation;
    if (v) {
      const props = [
        ...(v.file ? [`file=${ghProp(v.file)}`] : []),
        `title=${ghProp(`rebalance-check ${command}: ${v.invariant} violated`)}`,
      ];
      out.push(`::error ${props.join(',')}::${ghData(`${o.name}: ${v.message}\n${v.statement}\nReplay: ${v.replay}`)}`);
    }
    if (o.goalsRequired)
      for (const g of o.goals ?? [])
        if (g.applies && g.hits === 0)
          out.push(
            `::error title=${ghProp(`rebalance-check ${command}: goal ${g.id} never reached`)}::${ghData(`${o.name}: ${g.statement}`)}`,
          );
  }
  return out;
}
