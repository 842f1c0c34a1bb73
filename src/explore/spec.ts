import type { OffsetReset } from '../../models/offset-reset.ts';
import { UsageError } from '../core/errors.ts';
import { findVariant } from '../variants/catalogue.ts';
import { variantAssignors, type Variant } from '../variants/variant.ts';
import type { Interpreter } from '../world/model.ts';
import { migrations, type Migration, type Protocol } from '../world/types.ts';
import { faultsFor, noBudgets, type Bounds, type Budgets } from './bounds.ts';
import { assignorsFor, protocols, session, worldConfig } from '../run/config.ts';
import { Coverage } from '../run/coverage.ts';
import { GoalTracker, observeBoth } from '../run/goals.ts';
import { explore, type ExploreOptions, type ExploreResult } from './bfs.ts';
import type { Session } from '../run/run.ts';
import type { Shard } from '../core/shard.ts';

/** Everything an exploration depends on, as plain data (it crosses to worker threads). */
export interface ExploreSpec {
  protocol: Protocol;
  assignor: string;
  members: number;
  partitions: number;
  topics: number;
  static: boolean;
  /** KIP-881: broker racks and client.rack per slot (0: none). */
  racks?: number;
  /** Consumers subscribe by regular expression (WorldConfig.pattern). */
  pattern?: boolean;
  /** auto.offset.reset (WorldConfig.offsetReset); absent: earliest. */
  offsetReset?: OffsetReset;
  slowCallbacks: boolean;
  /** onPartitionsAssigned and onPartitionsLost take time too. */
  slowAssignLost: boolean;
  /** A rolling switch of group.protocol (`bounce` choices), the group converted between types. */
  migration?: Migration;
  /** A catalogue variant's name (or a file variant's, whose module `variantFile` names). */
  variant: string | null;
  /** The variant file it came from (as loaded, relative to the working directory): worker threads load it again. */
  variantFile?: string;
  bounds: Bounds;
  symmetry: boolean;
  liveness: boolean;
  coverage: boolean;
  /** Count the steps that reach each reachability goal (properties/goals). */
  goals?: boolean;
  shard?: Shard;
  /** Wall-clock deadline, epoch ms (`--max-time`): the search stops there. */
  deadline?: number;
  /** State and memory caps (`--max-states`, `--max-memory`): the search stops there, saying so. */
  maxStates?: number;
  maxHeapBytes?: number;
  /** How machine transitions run (default: compiled); worker threads get it with the spec. */
  interpreter?: Interpreter;
}

export { exploreLimits } from '../core/explore-settings.ts';

/** What an exploration is asked for; anything left out comes from the variant's `explore` settings, then `exploreDefaults`. */
export interface ExploreRequest {
  protocol?: string;
  assignor?: string;
  members?: number;
  partitions?: number;
  topics?: number;
  static?: boolean;
  racks?: number;
  pattern?: boolean;
  offsetReset?: OffsetReset;
  /** Online migration classic <-> consumer protocol (docs/migration.md); `protocol` names the classic side. */
  migration?: string;
  /** Budgets of the kinds named; the others come from the variant (none) or the defaults. */
  budgets?: Partial<Budgets>;
  maxDepth?: number;
  maxInFlight?: number;
  maxTimeMs?: number;
  maxDelayMs?: number;
  liveness?: boolean;
  symmetry?: boolean;
  slowCallbacks?: boolean;
  slowAssignLost?: boolean;
  coverage?: boolean;
  shard?: Shard;
}

/** Without a variant's settings: a 3x3 instance, one crash and one restart per path. */
export const exploreDefaults = {
  members: 3,
  partitions: 3,
  topics: 1,
  maxDepth: 8,
  maxInFlight: 8,
  budgets: { ...noBudgets, crash: 1, start: 1 } as Budgets,
  liveness: true,
};

/**
 * The spec of a request: each piece from the request, else from the variant's `explore`
 * settings, else the default. `fromVariant` says whether the variant's settings were used.
 */
export function resolveSpec(variant: Variant | undefined, req: ExploreRequest): { spec: ExploreSpec; fromVariant: boolean } {
  if (req.protocol !== undefined && !protocols.includes(req.protocol as Protocol))
    throw new UsageError(`unknown --protocol '${req.protocol}' (known: ${protocols.join(', ')})`);
  const ve = variant?.explore;
  // A variant that replaces an assignor is explored under a protocol that assignor supports.
  const assignorProtocol = variant?.assignors
    ? protocols.find((p) => Object.keys(variant.assignors!).some((a) => assignorsFor(p, variant).includes(a)))
    : undefined;
  const protocol = (req.protocol as Protocol | undefined) ?? ve?.protocol ?? variant?.protocols?.[0] ?? assignorProtocol ?? 'cooperative';
  if (variant?.protocols && !variant.protocols.includes(protocol))
    throw new UsageError(`variant ${variant.name} applies to ${variant.protocols.join(', ')}, not ${protocol}`);
  const known = assignorsFor(protocol, variant);
  const variantAssignor =
    (ve?.protocol === undefined || ve.protocol === protocol ? ve?.assignor : undefined) ??
    (variant && variantAssignors(variant)?.find((a) => known.includes(a)));
  const assignor = req.assignor ?? variantAssignor ?? (known.includes('cooperative-sticky') ? 'cooperative-sticky' : known[0]);
  const where =
    req.assignor === undefined && ve?.assignor !== undefined && variantAssignor === ve.assignor
      ? `variant ${variant!.name}'s explore.assignor`
      : '--assignor';
  if (!known.includes(assignor))
    throw new UsageError(`unknown ${where} '${assignor}' for protocol ${protocol} (known: ${known.join(', ')})`);
  if (req.migration !== undefined) {
    if (!(migrations as readonly string[]).includes(req.migration))
      throw new UsageError(`unknown --migration '${req.migration}' (known: ${migrations.join(', ')})`);
    if (protocol === 'consumer')
      throw new UsageError(
        '--migration runs the consumer protocol on the other side: --protocol names the classic side (eager, cooperative)',
      );
    if (req.static) throw new UsageError('--migration does not model static members yet (docs/migration.md): drop --static');
  }
  const base = ve ?? exploreDefaults;
  const budgets: Budgets = { ...(ve ? noBudgets : exploreDefaults.budgets), ...ve?.budgets, ...req.budgets };
  const spec: ExploreSpec = {
    protocol,
    assignor,
    members: req.members ?? base.members,
    partitions: req.partitions ?? base.partitions,
    topics: req.topics ?? ve?.topics ?? exploreDefaults.topics,
    static: req.static ?? ve?.static ?? false,
    ...((req.racks ?? ve?.racks) ? { racks: req.racks ?? ve?.racks } : {}),
    ...((req.pattern ?? ve?.pattern) ? { pattern: true } : {}),
    ...(req.offsetReset === 'latest' ? { offsetReset: req.offsetReset } : {}),
    slowCallbacks: req.slowCallbacks ?? ve?.slowCallbacks ?? false,
    slowAssignLost: req.slowAssignLost ?? ve?.slowAssignLost ?? false,
    ...(req.migration !== undefined && { migration: req.migration as Migration }),
    variant: variant?.name ?? null,
    ...(variant?.source && { variantFile: variant.source }),
    bounds: {
      budgets,
      maxDepth: req.maxDepth ?? base.maxDepth,
      maxInFlight: req.maxInFlight ?? base.maxInFlight,
      maxTimeMs: req.maxTimeMs ?? Infinity,
      maxDelayMs: req.maxDelayMs ?? ve?.maxDelayMs ?? Infinity,
    },
    symmetry: req.symmetry ?? true,
    liveness: req.liveness ?? (ve ? ve.liveness === true : exploreDefaults.liveness),
    coverage: req.coverage ?? false,
    ...(req.shard && { shard: req.shard }),
  };
  return { spec, fromVariant: ve !== undefined };
}

/** The world and invariants of a spec; a file variant is passed in already loaded. */
export function specSession(spec: ExploreSpec, loaded?: Variant): { session: Session; variant: Variant | undefined } {
  const variant = loaded ?? (spec.variant === null ? undefined : findVariant(spec.variant));
  if (spec.variant !== null && !variant) throw new UsageError(`unknown variant '${spec.variant}'`);
  const shape = {
    protocol: spec.protocol,
    assignor: spec.assignor,
    members: spec.members,
    partitions: spec.partitions,
    topics: spec.topics,
  };
  const base = worldConfig({
    ...shape,
    static: spec.static,
    variant,
    migration: spec.migration,
    racks: spec.racks,
    pattern: spec.pattern,
    offsetReset: spec.offsetReset,
  });
  // The explorer's instance is the spec's (a variant's own members and topics give way), and
  // its budgets decide which faults exist at all (a variant's own fault settings are replaced).
  const config = {
    ...base,
    members: spec.members,
    topics: worldConfig(shape).topics,
    static: base.static || spec.static,
    faults: { ...faultsFor(spec.bounds.budgets), slowCallbacks: spec.slowCallbacks, slowAssignLost: spec.slowAssignLost },
  };
  return { session: session(config, variant, spec.liveness, spec.interpreter), variant };
}

export interface SpecResult extends ExploreResult {
  /** Coverage items reached (see Coverage.reachedItems), when asked for. */
  coverage?: string[][];
  /** Goal id -> transitions (out of the states this thread checked) that reached it, when asked for. */
  goals?: Record<string, number>;
}

/** Runs one exploration of a spec in this thread. */
export function exploreSpec(
  spec: ExploreSpec,
  extra: Pick<ExploreOptions, 'onProgress' | 'progressMs' | 'keepFingerprints' | 'checkShare' | 'stopAt' | 'memo' | 'maxStates'> = {},
  loaded?: Variant,
): SpecResult {
  const { session: s } = specSession(spec, loaded);
  const coverage = spec.coverage ? new Coverage(s.model) : undefined;
  const run = coverage ? { ...s, model: coverage.wrap(s.model) } : s;
  const goals = spec.goals ? new GoalTracker(s.config) : undefined;
  const r = explore(run, spec.bounds, {
    symmetry: spec.symmetry,
    liveness: spec.liveness,
    shard: spec.shard,
    deadline: spec.deadline,
    maxStates: spec.maxStates,
    maxHeapBytes: spec.maxHeapBytes,
    observe: observeBoth(coverage?.observe, goals?.observe),
    ...extra,
  });
  return { ...r, coverage: coverage?.reachedItems(), goals: goals?.counts() };
}
