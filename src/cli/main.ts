import { Command, CommanderError, type Option } from 'commander';
import { registerCheck } from './check.ts';
import { registerExplore } from './explore.ts';
import { registerReplay } from './replay.ts';
import { registerAssignor } from './assignor.ts';
import { registerCompare } from './compare.ts';
import { registerVariants } from './variants.ts';
import { registerMutate } from './mutate.ts';
import { registerValidate } from './validate.ts';
import { UsageError } from '../core/errors.ts';

const version = '0.1.0';

/** Printed after every command's help: the same codes everywhere. */
export const exitCodesHelp =
  '\nExit codes:\n  0  every invariant holds (or the command succeeded)\n  1  a violation was found (printed, with the replay command)\n  2  bad usage or bad input (one line on stderr naming the problem)\n  130  interrupted by Ctrl-C (check, explore, mutate: what was done so far is printed)\n';

/** Every command and option, ready to parse; `setExit` receives a command's exit code. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('rebalance-check')
    .description('Property-based and model checking of the Kafka consumer group protocol')
    .version(version)
    .option('--no-color', 'no colours in the output (also: NO_COLOR=1)')
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .showSuggestionAfterError(true);
  registerCheck(program, setExit);
  registerReplay(program, setExit);
  registerAssignor(program, setExit);
  registerCompare(program, setExit);
  registerVariants(program, setExit);
  registerExplore(program, setExit);
  registerMutate(program, setExit);
  registerValidate(program, setExit);
  for (const command of [program, ...program.commands]) {
    command.addHelpText('after', exitCodesHelp);
    for (const option of command.options) describeRangeAndDefault(option);
  }
  return program;
}

/**
 * Help text in one form everywhere: an integer option's enforced range is shown (`1-16`), and a
 * default is printed once, by commander, as it would be typed (`1-10`, not `[1,10]`).
 */
function describeRangeAndDefault(option: Option): void {
  const range = (option.parseArg as { range?: readonly [number, number] } | undefined)?.range;
  if (range) option.description = `${option.description} [${range[0].toLocaleString('en-US')}-${range[1].toLocaleString('en-US')}]`;
  if (option.defaultValue === undefined) return;
  // commander prints the default itself: drop a description's own "default: X; " before it.
  option.description = option.description.replace(/\(default: [^;)]*; /, '(').replace(/ ?\(default: [^;)]*\)/, '');
  if (Array.isArray(option.defaultValue)) option.defaultValueDescription = option.defaultValue.join('-');
}

/** Runs the command line; returns the exit code (0 ok, 1 violation, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  // --no-color anywhere (or NO_COLOR in the environment) turns colours off; picocolors reads both
  // itself when it loads, so the flag is only taken out of commander's way here.
  argv = argv.filter((a) => a !== '--no-color');
  const program = buildProgram((c) => (code = c));
  // `--liveness --no-liveness`: commander would let the last one win silently.
  const flags = new Set(argv.slice(2).map((a) => a.split('=')[0]));
  const contradiction = [...flags].find((f) => f.startsWith('--no-') && flags.has(`--${f.slice(5)}`));
  if (contradiction) {
    console.error(`rebalance-check: --${contradiction.slice(5)} and ${contradiction} contradict each other: give one`);
    return 2;
  }
  // No command at all: the overview, not an error.
  if (argv.length <= 2) {
    process.stdout.write(program.helpInformation() + exitCodesHelp);
    return 0;
  }
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      // One line: commander's message, with its "Did you mean ...?" suggestion joined on.
      const lines = e.message
        .replace(/^error: /, '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      console.error(`rebalance-check: ${lines.join(' ')}`);
      return 2;
    }
    if (e instanceof UsageError) {
      console.error(`rebalance-check: ${e.message}`);
      return 2;
    }
    // A file the user named that cannot be read or written (--html, --out, ...): their input.
    const fsProblem = fileSystemProblem(e);
    if (fsProblem) {
      console.error(`rebalance-check: ${fsProblem}`);
      return 2;
    }
    throw e;
  }
}

/** `cannot write /x/y.html: no such file or directory` for a Node file-system error, else undefined. */
function fileSystemProblem(e: unknown): string | undefined {
  if (!(e instanceof Error) || !('code' in e) || !('path' in e) || typeof e.path !== 'string') return undefined;
  const syscall = 'syscall' in e ? String(e.syscall) : '';
  const verb = /open|write|mkdir|rename|copy/.test(syscall) ? 'cannot write' : 'cannot use';
  const reason = e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return `${syscall === 'open' && /ENOENT/.test(String(e.code)) ? 'cannot write' : verb} ${e.path}: ${reason}`;
}
