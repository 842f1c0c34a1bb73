import { findVariant } from '../explore/catalogue.ts';
import type { Variant } from '../explore/variant.ts';
import type { Protocol } from '../world/types.ts';
import { faultsFor, type Bounds } from './bounds.ts';
import { session, worldConfig } from './config.ts';
import { Coverage } from './coverage.ts';
import { explore, type ExploreOptions, type ExploreResult } from './explore.ts';
import type { Session } from './run.ts';
import type { Shard } from './shard.ts';

/** Everything an exploration depends on, as plain data (it crosses to worker threads). */
export interface ExploreSpec {
  protocol: Protocol;
  assignor: string;
  members: number;
  partitions: number;
  topics: number;
  static: boolean;
  slowCallbacks: boolean;
  variant: string | null;
  bounds: Bounds;
  symmetry: boolean;
  liveness: boolean;
  coverage: boolean;
  shard?: Shard;
}

export function specSession(spec: ExploreSpec): { session: Session; variant: Variant | undefined } {
  const variant = spec.variant === null ? undefined : findVariant(spec.variant);
  const base = worldConfig({ protocol: spec.protocol, assignor: spec.assignor, members: spec.members, partitions: spec.partitions, topics: spec.topics, static: spec.static, variant });
  // The explorer's budgets decide which faults exist at all (a variant's own fault settings are replaced).
  const config = { ...base, static: base.static || spec.static, faults: { ...faultsFor(spec.bounds.budgets), slowCallbacks: spec.slowCallbacks } };
  return { session: session(config, variant, spec.liveness), variant };
}

export interface SpecResult extends ExploreResult {
  /** Coverage items reached (see Coverage.reachedItems), when asked for. */
  coverage?: string[][];
}

/** Runs one exploration of a spec in this thread. */
export function exploreSpec(spec: ExploreSpec, extra: Pick<ExploreOptions, 'onProgress' | 'progressMs' | 'keepFingerprints' | 'checkShare' | 'stopAt' | 'memo'> = {}): SpecResult {
  const { session: s } = specSession(spec);
  const coverage = spec.coverage ? new Coverage(s.model.machines) : undefined;
  const run = coverage ? { ...s, model: coverage.wrap(s.model) } : s;
  const r = explore(run, spec.bounds, { symmetry: spec.symmetry, liveness: spec.liveness, shard: spec.shard, observe: coverage?.observe, ...extra });
  return { ...r, coverage: coverage?.reachedItems() };
}
