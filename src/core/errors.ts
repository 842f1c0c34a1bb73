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
