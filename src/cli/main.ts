import { Command, CommanderError } from 'commander';
import { registerCheck } from './check.ts';
import { registerExplore } from './explore.ts';
import { registerReplay } from './replay.ts';
import { registerAssignor } from './assignor.ts';
import { registerCompare } from './compare.ts';
import { registerVariants } from './variants.ts';
import { registerValidate } from './validate.ts';
import { UsageError } from '../core/errors.ts';

const version = '0.1.0';

/** Runs the command line; returns the exit code (0 ok, 1 violation, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('rebalance-check')
    .description('Property-based and model checking of the Kafka consumer group protocol')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .showSuggestionAfterError(true);
  registerCheck(program, (c) => (code = c));
  registerReplay(program, (c) => (code = c));
  registerAssignor(program, (c) => (code = c));
  registerCompare(program, (c) => (code = c));
  registerVariants(program, (c) => (code = c));
  registerExplore(program, (c) => (code = c));
  registerValidate(program, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      console.error(`rebalance-check: ${e.message.replace(/^error: /, '').split('\n')[0]}`);
      return 2;
    }
    if (e instanceof UsageError) {
      console.error(`rebalance-check: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
