import { invariantsFor } from '../../properties/index.ts';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { serverAssignors } from '../../models/consumer-protocol/assignors.ts';
import { defaultTimers } from '../../models/types.ts';
import { UsageError } from '../core/errors.ts';
import { variantAssignors, variantProtocols, type Variant } from '../variants/variant.ts';
import { buildModel } from '../world/model.ts';
import { familyOf, type FaultSettings, type Protocol, type WorldConfig } from '../world/types.ts';
import type { Session } from './run.ts';

import { protocols } from '../world/types.ts';
export { protocols };

export { allFaults, noFaults } from '../world/faults.ts';
import { allFaults } from '../world/faults.ts';

export interface CheckConfigInput {
  protocol: Protocol;
  assignor: string;
  members: number;
  /** Partitions of each topic. */
  partitions: number;
  /** Number of topics (t0, t1, ...), every member subscribed to all of them. */
  topics?: number;
  faults?: FaultSettings;
  static?: boolean;
  upgrade?: boolean;
  variant?: Variant;
}

/**
 * Assignors a protocol can use: a classic client is COOPERATIVE only if its assignor supports
 * it; the consumer protocol (KIP-848) uses the coordinator's server-side assignors.
 */
export function assignorsFor(protocol: Protocol, variant?: Variant): string[] {
  if (protocol === 'consumer') return Object.keys({ ...serverAssignors, ...variant?.serverAssignors }).sort();
  const all = { ...builtinAssignors, ...variant?.assignors };
  return Object.values(all)
    .filter((a) => a.supportedProtocols.includes(protocol as (typeof a.supportedProtocols)[number]))
    .map((a) => a.name)
    .sort();
}

export function worldConfig(input: CheckConfigInput): WorldConfig {
  const base: WorldConfig = {
    protocol: input.protocol,
    assignor: input.assignor,
    members: input.members,
    topics: Object.fromEntries(Array.from({ length: input.topics ?? 1 }, (_, i) => [`t${i}`, input.partitions])),
    timers: defaultTimers,
    faults: input.faults ?? allFaults,
    autoCommit: true,
    static: input.static ?? false,
    upgrade: input.upgrade ?? false,
  };
  return { ...base, ...input.variant?.settings };
}

export function session(config: WorldConfig, variant?: Variant, liveness = true): Session {
  // A rolling upgrade runs eager and cooperative members side by side: every invariant applies.
  const invariants = config.upgrade
    ? [...new Set([...invariantsFor('eager'), ...invariantsFor('cooperative')])]
    : invariantsFor(config.protocol);
  return { config, model: buildModel(variant, 'fast', familyOf(config.protocol)), invariants, liveness };
}

/**
 * The (protocol, assignor) pairs `check` runs, in order: every protocol (the variant's own if it
 * names them) unless one is chosen, and every assignor it supports unless one is chosen (a
 * variant that replaces an assignor is checked with that one). Bad names are a UsageError.
 */
export function checkCombos(
  opts: { protocol?: string; assignor?: string; upgrade?: boolean },
  variant: Variant | undefined,
): Array<[Protocol, string]> {
  if (opts.protocol !== undefined && !protocols.includes(opts.protocol as Protocol))
    throw new UsageError(`unknown --protocol '${opts.protocol}' (known: ${protocols.join(', ')})`);
  const chosen = opts.protocol !== undefined ? [opts.protocol as Protocol] : variant ? variantProtocols(variant) : protocols;
  if (variant && !chosen.every((p) => variantProtocols(variant).includes(p)))
    throw new UsageError(`variant ${variant.name} applies to ${variantProtocols(variant).join(', ')}, not ${chosen.join(', ')}`);
  const combos: Array<[Protocol, string]> = [];
  for (const protocol of chosen) {
    const known = assignorsFor(protocol, variant);
    if (opts.assignor !== undefined && !known.includes(opts.assignor)) {
      if (opts.protocol !== undefined || chosen.length === 1)
        throw new UsageError(`unknown --assignor '${opts.assignor}' for protocol ${protocol} (known: ${known.join(', ')})`);
      continue;
    }
    const replaced = variant && variantAssignors(variant);
    const names = opts.assignor ? [opts.assignor] : replaced ? replaced.filter((a) => known.includes(a)) : known;
    for (const a of names) combos.push([protocol, a]);
  }
  // The upgrade scenario fixes its own assignors and protocols.
  if (opts.upgrade) combos.splice(0, combos.length, ['eager', 'range']);
  if (combos.length === 0) {
    const all = [...new Set(chosen.flatMap((p) => assignorsFor(p, variant)))].sort();
    throw new UsageError(`unknown --assignor '${opts.assignor}' (known: ${all.join(', ')})`);
  }
  return combos;
}
