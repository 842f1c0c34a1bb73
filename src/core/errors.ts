/** A problem with what the user gave us: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A whole-number option parser; it carries its range, which the CLI shows in every --help. */
export function positiveInt(name: string, min = 1, max = 1_000_000) {
  const parse = (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${name} must be a whole number, got '${raw}'`);
    const n = Number(raw);
    if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  return Object.assign(parse, { range: [min, max] as const });
}

/** auto.offset.reset: `earliest` or `latest` (Kafka's `none` is not modelled). */
export function offsetResetOption(name: string) {
  return (raw: string): 'earliest' | 'latest' => {
    if (raw !== 'earliest' && raw !== 'latest') throw new UsageError(`${name} must be earliest or latest, got '${raw}'`);
    return raw;
  };
}

/** A duration in seconds, e.g. `30` or `0.5` (for `--max-time`). */
export function seconds(name: string, max = 1_000_000) {
  return (raw: string): number => {
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new UsageError(`${name} must be a number of seconds, got '${raw}'`);
    const n = Number(raw);
    if (n <= 0 || n > max) throw new UsageError(`${name} must be more than 0 and at most ${max} seconds, got ${n}`);
    return n;
  };
}

/** Shared by `check` and `explore` (and `mutate`): the --max-time help text. */
export const maxTimeHelp =
  'stop at this wall-clock deadline (seconds) and report what was done, a failure found but not fully shrunk included; ' +
  'the result is a function of (options, seed) up to where the deadline fell';
