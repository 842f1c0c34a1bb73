import { UsageError } from '../core/errors.ts';
import { defaultInterpreter } from '../run/config.ts';
import { interpreters, type Interpreter } from '../world/model.ts';

// --interpreter: how machine transitions run. `compiled` (the default) is the plain transition
// function generated from each machine (src/world/compiled.ts); `xstate` is xstate's own
// interpreter, the slow path kept as the oracle (docs/speed.md).

export const interpreterHelp = "machine interpreter: compiled (the default) or xstate (xstate's own, slower: the oracle)";

export const parseInterpreter = (raw: string): Interpreter => {
  if (!(interpreters as readonly string[]).includes(raw))
    throw new UsageError(`--interpreter must be one of ${interpreters.join(', ')}, got '${raw}'`);
  return raw as Interpreter;
};

/** Sessions built in this process use the interpreter asked for. */
export function useInterpreter(opts: { interpreter?: Interpreter }): Interpreter {
  defaultInterpreter.value = opts.interpreter ?? 'compiled';
  return defaultInterpreter.value;
}
