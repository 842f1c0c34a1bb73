import type { Assignor } from '../../models/assignors/types.ts';
import type { Budgets } from '../core/explore-settings.ts';
import { defaultTimers, type TimerSettings } from '../../models/types.ts';
import type { ModelChanges, Overrides } from '../world/model.ts';
import type { Protocol, WorldConfig } from '../world/types.ts';

/** Config changes a variant may make (e.g. a fault it depends on, or other timer settings). */
export type VariantSettings = Partial<
  Pick<
    WorldConfig,
    | 'members'
    | 'topics'
    | 'faults'
    | 'timers'
    | 'autoCommit'
    | 'static'
    | 'migration'
    | 'migrationPolicy'
    | 'racks'
    | 'pattern'
    | 'offsetReset'
  >
>;

/**
 * The small instance and bounds where `explore` shows a broken variant's violation: what
 * `explore --variant` runs unless a flag says otherwise. A counterexample on a smaller instance
 * is still one of the variant, and breadth-first search pays for every interleaving up to the
 * depth, so these are the smallest found by experiment.
 */
export interface VariantExplore {
  members: number;
  /** Partitions of each topic. */
  partitions: number;
  topics?: number;
  static?: boolean;
  /** KIP-881: broker racks (and client.rack per slot); default none. */
  racks?: number;
  /** Consumers subscribe by regular expression (WorldConfig.pattern); default no. */
  pattern?: boolean;
  /** Default: the variant's first protocol. */
  protocol?: Protocol;
  /** Default: the variant's assignor, or the protocol's default one. */
  assignor?: string;
  /** Fault budgets per path; a kind not named gets none. */
  budgets?: Partial<Budgets>;
  maxDepth: number;
  maxInFlight: number;
  /** A bounded-delay network (see Bounds.maxDelayMs); default unbounded. */
  maxDelayMs?: number;
  /** Rebalance callbacks take time: onPartitionsRevoked (slowCallbacks), onPartitionsAssigned and onPartitionsLost (slowAssignLost). */
  slowCallbacks?: boolean;
  slowAssignLost?: boolean;
  /** Run the liveness walks too (default off: they cost most, and only liveness invariants need them). */
  liveness?: boolean;
}

/**
 * A design variant: named overrides of the machines' guards and actions (xstate's
 * `provide`), replacement assignors, and settings. Broken variants declare the invariants
 * they are expected to break; the catalogue test holds them to it. This is the one shape
 * every part of the tool reads; `defineVariant` also accepts the spellings of `VariantInput`.
 */
export interface Variant extends ModelChanges {
  name: string;
  description: string;
  /** Protocols the variant applies to (default: the classic ones, eager and cooperative). */
  protocols?: Protocol[];
  /** Invariant ids this variant is expected to violate (empty for a correct alternative). */
  breaks: string[];
  /** Config changes the variant needs (e.g. a fault it depends on). */
  settings?: VariantSettings;
  /** Where `explore` shows the violation (every broken catalogue variant has it). */
  explore?: VariantExplore;
  /** Where a user's variant was loaded from (set by `loadVariant`; counterexample files store it). */
  source?: string;
}

/**
 * What a variant file writes. `protocol` and `assignor` are the singular spellings of
 * `protocols` and `assignors`; `breaks` defaults to none (a design to compare, not a bug).
 */
export interface VariantInput {
  name: string;
  description: string;
  /** The protocol(s) the variant applies to: `'eager'`, `'cooperative'` or a list. */
  protocol?: Protocol | Protocol[];
  protocols?: Protocol[];
  /** Overrides of the coordinator machine's named guards and actions (see docs/overrides.md). */
  coordinator?: Overrides;
  /** Overrides of the consumer machine's named guards and actions (see docs/overrides.md). */
  consumer?: Overrides;
  /** An assignor (or several) added to or replacing the built-ins, under its `name`. */
  assignor?: Assignor | Assignor[];
  assignors?: Record<string, Assignor>;
  /** Server-side assignors of the consumer protocol (KIP-848) added or replaced, by name. */
  serverAssignors?: ModelChanges['serverAssignors'];
  /** Config changes; `timers` may name only the settings it changes (the rest keep their defaults). */
  settings?: Omit<VariantSettings, 'timers'> & { timers?: Partial<TimerSettings> };
  /** Invariant ids the variant is expected to break (default: none). */
  breaks?: string[];
  /** The small instance and bounds where `explore --variant` shows the violation. */
  explore?: VariantExplore;
}

const VARIANT = Symbol.for('rebalance-check/variant');

/** Declares a variant; the result is the normalised `Variant` (and is recognised by `isVariant`). */
export function defineVariant(input: VariantInput): Variant {
  const protocols =
    input.protocols ?? (input.protocol === undefined ? undefined : Array.isArray(input.protocol) ? input.protocol : [input.protocol]);
  const listed = input.assignor === undefined ? [] : Array.isArray(input.assignor) ? input.assignor : [input.assignor];
  const assignors =
    listed.length > 0 || input.assignors ? { ...input.assignors, ...Object.fromEntries(listed.map((a) => [a.name, a])) } : undefined;
  const v: Variant = {
    name: input.name,
    description: input.description,
    breaks: input.breaks ?? [],
    ...(protocols && { protocols }),
    ...(input.coordinator && { coordinator: input.coordinator }),
    ...(input.consumer && { consumer: input.consumer }),
    ...(assignors && { assignors }),
    ...(input.serverAssignors && { serverAssignors: input.serverAssignors }),
    ...(input.explore && { explore: input.explore }),
    ...(input.settings && {
      settings: {
        ...input.settings,
        ...(input.settings.timers && { timers: { ...defaultTimers, ...input.settings.timers } }),
      } as VariantSettings,
    }),
  };
  Object.defineProperty(v, VARIANT, { value: true, enumerable: false });
  return v;
}

/** A value made by `defineVariant` (in this process, whichever copy of the module made it). */
export const isVariant = (x: unknown): x is Variant =>
  typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[VARIANT] === true;

/** The protocols a variant runs on. */
export const variantProtocols = (v: Variant): Protocol[] => v.protocols ?? ['eager', 'cooperative'];

/** The assignors a variant replaces (client-side ones, or server-side ones of the consumer protocol). */
export const variantAssignors = (v: Variant): string[] | undefined =>
  v.assignors ? Object.keys(v.assignors) : v.serverAssignors ? Object.keys(v.serverAssignors) : undefined;
