import { Command, CommanderError } from 'commander';
import { registerCheck } from './check.ts';
import { registerExplore } from './explore.ts';
import { registerReplay } from './replay.ts';
import { registerAssignor } from './assignor.ts';
import { registerCompare } from './compare.ts';
import { registerVariants } from './variants.ts';
import { UsageError } from '../core/errors.ts';

const version = '0.1.0';

/** Printed after every command's help: the same three codes everywhere. */
export const exitCodesHelp =
  '\nExit codes:\n  0  every invariant holds (or the command succeeded)\n  1  a violation was found (printed, with the replay command)\n  2  bad usage or bad input (one line on stderr naming the problem)\n';

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
  for (const command of [program, ...program.commands]) command.addHelpText('after', exitCodesHelp);
  return program;
}

/** Runs the command line; returns the exit code (0 ok, 1 violation, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  // --no-color anywhere (or NO_COLOR in the environment) turns colours off; picocolors reads both
  // itself when it loads, so the flag is only taken out of commander's way here.
  argv = argv.filter((a) => a !== '--no-color');
  const program = buildProgram((c) => (code = c));
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
    throw e;
  }
}
