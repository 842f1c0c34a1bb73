import { invariantsFor, migrationInvariants } from '../../properties/index.ts';
import type { MigrationPolicy } from '../../models/consumer-protocol/migration-policy.ts';
import { builtinAssignors } from '../../models/assignors/index.ts';
import { serverAssignors } from '../../models/consumer-protocol/assignors.ts';
import type { OffsetReset } from '../../models/offset-reset.ts';
import { defaultTimers } from '../../models/types.ts';
import type { Variant } from '../variants/variant.ts';
import { buildModel, modeOf, type Interpreter } from '../world/model.ts';

/** The interpreter sessions use unless told (the CLI's --interpreter sets it for its process). */
export const defaultInterpreter: { value: Interpreter } = { value: 'compiled' };
import { startFamily, type FaultSettings, type Migration, type Protocol, type WorldConfig } from '../world/types.ts';
import type { Session } from './run.ts';

export { protocols } from '../world/types.ts';

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
  /** Online migration classic <-> consumer protocol (`protocol` is then the classic side's). */
  migration?: Migration | null;
  migrationPolicy?: MigrationPolicy;
  /** KIP-881: broker racks, and client.rack per slot (WorldConfig.racks). */
  racks?: number;
  /** Consumers subscribe by regular expression (WorldConfig.pattern). */
  pattern?: boolean;
  /** auto.offset.reset of every consumer (WorldConfig.offsetReset); absent: earliest. */
  offsetReset?: OffsetReset;
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
  if (input.migration) Object.assign(base, { migration: input.migration, migrationPolicy: input.migrationPolicy ?? 'bidirectional' });
  if (input.racks) base.racks = input.racks;
  if (input.pattern) base.pattern = true;
  if (input.offsetReset === 'latest') base.offsetReset = input.offsetReset;
  return { ...base, ...input.variant?.settings };
}

export function session(config: WorldConfig, variant?: Variant, liveness = true, interpreter?: Interpreter): Session {
  // A rolling upgrade runs eager and cooperative members side by side: every invariant applies.
  const invariants = config.migration
    ? migrationInvariants
    : config.upgrade
      ? [...new Set([...invariantsFor('eager'), ...invariantsFor('cooperative')])]
      : invariantsFor(config.protocol);
  return {
    config,
    model: buildModel(variant, modeOf(interpreter ?? defaultInterpreter.value), startFamily(config), Boolean(config.migration)),
    invariants,
    liveness,
  };
}
