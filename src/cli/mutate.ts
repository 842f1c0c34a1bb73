import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError, positiveInt } from '../core/errors.ts';
import { parseShard } from '../core/shard.ts';
import { mutate } from '../api/mutate.ts';
import { chosenMutants, writeMutantVariant } from '../mutate/mutate.ts';
import { killLine, mutationHtml, mutationJson, scoreTable, survivorLines } from '../mutate/report.ts';
import { defaultBudget } from '../mutate/run-mutant.ts';
import { targetLines } from '../mutate/score.ts';
import { defaultSurvivorsFile, loadSurvivors } from '../mutate/survivors.ts';

interface MutateOptions {
  only?: string;
  shard?: string;
  json?: boolean;
  html?: string;
  runs: number;
  states: number;
  maxSeconds: number;
  maxSteps: number;
  seed: number;
  jobs: number;
  survivors: string;
  list?: boolean;
  writeVariant?: string[];
  verbose?: boolean;
}

export function registerMutate(program: Command, setExit: (code: number) => void): void {
  program
    .command('mutate')
    .description(
      'mutation analysis of the models: mutate every named guard, action and built-in assignor, and check that the invariants kill each mutant (exit 0: every mutant killed or recorded in the survivors file; 1: an unrecorded survivor; 2: bad usage)',
    )
    .option(
      '--only <ids>',
      'run only the mutants whose id contains one of these (comma-separated), e.g. classic-coordinator/bumpGeneration',
    )
    .option('--shard <i/n>', 'run only shard i of n (mutant k goes to shard k mod n)')
    .option('--runs <n>', 'random runs per place (two places per mutant)', positiveInt('--runs', 1, 1_000_000), defaultBudget.runs)
    .option('--states <n>', 'states per explore rung', positiveInt('--states', 1, 10_000_000), defaultBudget.exploreStates)
    .option(
      '--max-seconds <s>',
      'wall-clock cap of one mutant (a worker silent for 12 s more is stopped: a hang)',
      positiveInt('--max-seconds', 1, 3600),
      defaultBudget.maxSeconds,
    )
    .option('--max-steps <n>', 'longest random prefix of a run, in steps', positiveInt('--max-steps', 1, 100_000), defaultBudget.maxSteps)
    .option('--seed <n>', 'seed of the campaigns', positiveInt('--seed', 0, 2 ** 31 - 1), defaultBudget.seed)
    .option('--jobs <n>', 'mutants run at once, each on a worker thread', positiveInt('--jobs', 1, 64), 1)
    .option('--survivors <file>', 'the record of mutants that are not killed, with why', defaultSurvivorsFile)
    .option('--list', 'list the mutant ids (after --only and --shard) and exit')
    .option('--write-variant <id-and-file...>', 'write mutant ID as a variant file FILE (two values: ID FILE) and exit')
    .option('--verbose', 'print every mutant as it finishes')
    .option('--json', 'print the results as JSON')
    .option('--html <file>', 'write the report as a self-contained HTML page')
    .action(async (opts: MutateOptions) => setExit(await runMutate(opts)));
}

async function runMutate(opts: MutateOptions): Promise<number> {
  if (opts.writeVariant) {
    if (opts.writeVariant.length !== 2) throw new UsageError('--write-variant takes two values: a mutant id and a file');
    const [id, file] = opts.writeVariant;
    writeMutantVariant(id, file);
    console.log(`wrote ${file}: npx rebalance-check check --variant ${file}`);
    return 0;
  }
  const only = opts.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  // Read first: a bad survivors file is reported before any mutant runs, --list included.
  const recorded = loadSurvivors(opts.survivors);
  if (opts.list) {
    for (const m of chosenMutants(only, shard)) console.log(`${m.id}  ${pc.dim(m.description)}`);
    return 0;
  }
  const budget = { runs: opts.runs, exploreStates: opts.states, maxSeconds: opts.maxSeconds, maxSteps: opts.maxSteps, seed: opts.seed };
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  const progress = mutateProgress(tty, started);
  // Ctrl-C: the mutants running are stopped, and the table is that of the mutants that finished (exit 130).
  const stop = new AbortController();
  const onInterrupt = () => {
    progress.clear();
    process.stderr.write('rebalance-check: interrupted: reporting the mutants that finished\n');
    stop.abort();
  };
  process.once('SIGINT', onInterrupt);
  const report = await mutate({
    only,
    shard,
    budget,
    jobs: opts.jobs,
    survivors: opts.survivors,
    signal: stop.signal,
    onResult: (r, done, total) => {
      // With --json, --verbose goes to stderr so that stdout stays one JSON document.
      if (opts.verbose) (opts.json ? console.error : console.log)(r.status === 'killed' ? pc.dim(killLine(r)) : killLine(r));
      // An unrecorded survivor is said at once (it will make the run exit 1), not only at the end.
      else if (r.status !== 'killed' && !recorded[r.id]) {
        progress.clear();
        process.stderr.write(`${pc.red('unrecorded survivor')}: ${killLine(r)}\n`);
      }
      if (!opts.verbose) progress.tick(r, done, total);
    },
  }).finally(() => process.off('SIGINT', onInterrupt));
  const { results, records, unrecorded: missing } = report;
  progress.clear();
  const seconds = (performance.now() - started) / 1000;
  if (opts.json)
    console.log(
      JSON.stringify(
        { ...mutationJson(results, records, { budget, seconds, unrecorded: missing }), ...(report.interrupted && { interrupted: true }) },
        null,
        2,
      ),
    );
  else if (results.length === 0) console.log(`no mutant finished (0 of ${report.chosen}): no score`);
  else {
    console.log(scoreTable(results, records));
    for (const line of survivorLines(results, records)) console.log(line.includes('UNRECORDED') ? pc.red(line) : line);
    for (const line of targetLines(report.figures)) console.log(pc.dim(line));
    if (report.stale.length > 0) console.log(pc.dim(`recorded but killed now (the record can go): ${report.stale.join(', ')}`));
    console.log(pc.dim(`${results.length} mutants in ${seconds.toFixed(0)} s`));
    if (report.interrupted) console.log(pc.yellow(`interrupted (Ctrl-C) after ${results.length} of ${report.chosen} mutants`));
  }
  if (opts.html) writeFileSync(opts.html, mutationHtml(results, records, 'Rebalance Check: mutation analysis'));
  if (report.interrupted) return 130;
  if (missing.length > 0) {
    console.error(`rebalance-check: ${missing.length} mutant(s) not killed and not recorded in ${opts.survivors}: ${missing.join(', ')}`);
    return 1;
  }
  return 0;
}

/**
 * The progress of a mutation run on stderr (stdout stays the table or the JSON document): in place
 * on a terminal after every mutant, a plain line every ten seconds otherwise (CI logs), with the
 * outcomes so far and the time left at the rate so far.
 */
function mutateProgress(tty: boolean, started: number) {
  const counts = { killed: 0, survived: 0, 'not-reached': 0 };
  let lastLine = started;
  let shown = false;
  return {
    tick(r: { status: keyof typeof counts }, done: number, total: number) {
      counts[r.status]++;
      const now = performance.now();
      if (!tty && now - lastLine < 10_000 && done < total) return;
      lastLine = now;
      const secs = (now - started) / 1000;
      const left = done < total ? `, about ${Math.round((secs / done) * (total - done))} s left` : '';
      const line = `mutants: ${done}/${total} (killed ${counts.killed}, survived ${counts.survived}, not reached ${counts['not-reached']}), ${Math.round(secs)} s${left}`;
      if (tty) {
        process.stderr.write(`\r${pc.dim(line)}\x1b[K`);
        shown = true;
      } else process.stderr.write(`${line}\n`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
