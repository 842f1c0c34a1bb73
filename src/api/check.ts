// `check(options)`: random campaigns as a library call. Typed results, no printing: the CLI
// (src/cli/check.ts) and a user's own test suite read the same report.
import { count } from '../core/format.ts';
import { UsageError } from '../core/errors.ts';
import { parseShard, type Shard } from '../core/shard.ts';
import type { Counterexample } from '../replay/counterexample.ts';
import { findCounterexample } from '../random/find.ts';
import type { CampaignResult } from '../random/campaign.ts';
import { allFaults, assignorsFor, noFaults, protocols, worldConfig } from '../run/config.ts';
import type { Violation } from '../run/run.ts';
import { loadVariant } from '../variants/load.ts';
import { variantAssignors, variantProtocols, type Variant } from '../variants/variant.ts';
import { migrations, type FaultSettings, type Migration, type Protocol, type WorldConfig } from '../world/types.ts';
import type { OffsetReset } from '../../models/offset-reset.ts';
import { migrationPolicies, type MigrationPolicy } from '../../models/consumer-protocol/migration-policy.ts';

export interface CheckOptions {
  /** Default: every protocol (a variant's own protocols if it names them). */
  protocol?: Protocol;
  /** Default: every assignor the protocol supports (a variant's replaced assignor if it has one). */
  assignor?: string;
  members?: number;
  /** Partitions of each topic. */
  partitions?: number;
  topics?: number;
  runs?: number;
  seed?: number;
  maxSteps?: number;
  /** A variant (from `defineVariant`), a catalogue name or the path of a variant file. */
  variant?: Variant | string;
  static?: boolean;
  /** KIP-881: brokers on this many racks and a client.rack per consumer (classic campaigns; docs/model.md, "Racks"). */
  racks?: number;
  /**
   * Every consumer subscribes by regular expression and a matching topic may be created during a
   * run (one per run; docs/model.md, "Regular-expression subscriptions").
   */
  pattern?: boolean;
  /**
   * Offset retention: the coordinator's offset cleanup may run once per run (the `expireOffsets`
   * choice; docs/model.md, section 11).
   */
  offsetRetention?: boolean;
  /** auto.offset.reset of every consumer (default earliest). */
  offsetReset?: OffsetReset;
  upgrade?: boolean;
  /**
   * Online migration between the classic and the consumer protocol (a rolling switch of
   * group.protocol, docs/migration.md); `protocol` and `assignor` then name the classic side.
   */
  migration?: Migration;
  /** group.consumer.migration.policy (default bidirectional). */
  migrationPolicy?: MigrationPolicy;
  /** Fault injection (default on); off, messages are still delayed and reordered. */
  faults?: boolean;
  liveness?: boolean;
  shrinkInstance?: boolean;
  /** `i/n`, or the parsed shard: run only shard i of n. */
  shard?: string | Shard;
  /** Stop after the first failing campaign (default, as the CLI does). */
  stopAtFirstFailure?: boolean;
  /** Called after every run of a campaign. */
  onRun?: (campaign: string, done: number) => void;
}

export const checkDefaults = { members: 3, partitions: 6, topics: 1, runs: 1000, seed: 42, maxSteps: 60 };

/** One campaign: a protocol and assignor over the instance, with static members or as the rolling upgrade. */
export interface CampaignPlan {
  protocol: Protocol;
  assignor: string;
  static: boolean;
  upgrade: boolean;
  /** The migration this campaign runs, if any. */
  migration?: Migration;
  /** The default check's idle campaigns: more members than partitions, so some members hold none. */
  idle?: boolean;
  /** The default check's static and idle campaigns: an instance of their own. */
  shape?: { topics: number; partitions: number; racks?: number };
  config: WorldConfig;
  label: string;
}

export interface CampaignReport extends CampaignPlan {
  ok: boolean;
  result: CampaignResult;
  /** The shrunk failure, ready to save (see `writeCounterexample`) or replay. */
  counterexample?: Counterexample;
  violation?: Violation;
}

export interface CheckReport {
  ok: boolean;
  campaigns: CampaignReport[];
}

/**
 * The campaigns a check runs: every protocol x assignor asked for, over the instance. With no
 * option that picks the campaigns (protocol, assignor, variant, static, upgrade), every one runs
 * again with static members (KIP-345/814), the rolling upgrade (KIP-429) runs once, and every one
 * runs again with more members than partitions (idle members).
 */
export function planCampaigns(options: CheckOptions, variant: Variant | undefined): CampaignPlan[] {
  const o = { ...checkDefaults, ...options };
  if (o.migration !== undefined || o.migrationPolicy !== undefined) return planMigration(o, variant);
  if (o.protocol !== undefined && !protocols.includes(o.protocol))
    throw new UsageError(`unknown --protocol '${o.protocol}' (known: ${protocols.join(', ')})`);
  if (o.upgrade && (o.protocol !== undefined || o.assignor !== undefined))
    throw new UsageError(
      '--upgrade runs its own protocols and assignors (eager range, then cooperative-sticky): drop --protocol and --assignor',
    );
  const chosen = o.protocol !== undefined ? [o.protocol] : variant ? variantProtocols(variant) : protocols;
  if (variant && !chosen.every((p) => variantProtocols(variant).includes(p)))
    throw new UsageError(`variant ${variant.name} applies to ${variantProtocols(variant).join(', ')}, not ${chosen.join(', ')}`);
  const combos: Array<Omit<CampaignPlan, 'config' | 'label'>> = [];
  for (const protocol of chosen) {
    const known = assignorsFor(protocol, variant);
    if (o.assignor !== undefined && !known.includes(o.assignor)) {
      if (o.protocol !== undefined || chosen.length === 1)
        throw new UsageError(`unknown --assignor '${o.assignor}' for protocol ${protocol} (known: ${known.join(', ')})`);
      continue;
    }
    // A variant that replaces an assignor is checked with that assignor.
    const replaced = variant && variantAssignors(variant);
    const names = o.assignor ? [o.assignor] : replaced ? replaced.filter((a) => known.includes(a)) : known;
    for (const a of names) combos.push({ protocol, assignor: a, static: o.static === true, upgrade: false });
  }
  // The upgrade scenario fixes its own assignors and protocols.
  if (o.upgrade) combos.splice(0, combos.length, { protocol: 'eager', assignor: 'range', static: o.static === true, upgrade: true });
  if (combos.length === 0) {
    const all = [...new Set(chosen.flatMap((p) => assignorsFor(p, variant)))].sort();
    throw new UsageError(`unknown --assignor '${o.assignor}' (known: ${all.join(', ')})`);
  }
  // A variant gets the static campaigns too (a bug planted in static membership, KIP-345/814,
  // lives only there), unless its own settings already make every campaign static.
  const variantStatic = variant?.settings?.static === true;
  if (o.protocol === undefined && o.assignor === undefined && !o.static && !o.upgrade && !variantStatic) {
    // Static campaigns over two topics of half the partitions: a subscription change needs a
    // second topic, and no other default campaign has one (KAFKA-12759 lives there). The classic
    // ones also with brokers on two racks (KIP-881: client.rack, replica moves; the KIP-848 server
    // assignors ignore racks, docs/model.md "Racks").
    const shape = { topics: 2, partitions: Math.max(1, Math.ceil(o.partitions / 2)) };
    const dynamic = [...combos];
    combos.push(
      ...dynamic.map((c) => ({
        ...c,
        static: true,
        shape: { ...shape, ...(c.protocol !== 'consumer' && o.racks === undefined && { racks: 2 }) },
      })),
    );
    // The rolling upgrade runs eager range then cooperative-sticky: a variant only if it applies
    // to both protocols and replaces no assignor.
    const upgradeFits = !variant || (['eager', 'cooperative'].every((p) => chosen.includes(p as Protocol)) && !variantAssignors(variant));
    if (upgradeFits) combos.push({ protocol: 'eager', assignor: 'range', static: false, upgrade: true });
    // Idle campaigns: one topic of fewer partitions than members, so that a member holds nothing
    // (no other default campaign has one; an assignor's and a coordinator's handling of idle
    // members, and the starving-member and balance rules, are tested only there). Last, so that
    // adding them moved no run where an earlier campaign catches a variant.
    const idle = { topics: 1, partitions: Math.max(1, o.members - 1) };
    for (const c of dynamic) combos.push({ ...c, idle: true, shape: idle });
  }
  return combos.map((c) => {
    const { protocol, assignor } = c;
    const config = worldConfig({ ...instanceOf(o, variant), ...c.shape, protocol, assignor, static: c.static, upgrade: c.upgrade });
    // The instance actually checked: a variant's settings may change it.
    const counts = Object.values(config.topics);
    const shape = counts.length > 1 ? `${counts.length} topics x ${count(counts[0], 'partition')}` : count(counts[0], 'partition');
    const name = c.upgrade ? 'upgrade eager range -> cooperative-sticky' : `${protocol}/${assignor}`;
    const label = `${name}${config.static ? ' static' : ''}${c.idle ? ' idle' : ''}${config.racks ? ` ${config.racks} racks` : ''}${config.pattern ? ' pattern' : ''}${retentionLabel(config)}${variant ? ` variant ${variant.name}` : ''} (${count(config.members, 'member')} x ${shape})`;
    return { ...c, config, label };
  });
}

/** The offset retention settings a campaign runs with, for its label (docs/model.md, section 11). */
const retentionLabel = (config: WorldConfig): string =>
  `${config.faults.offsetExpiries ? ' offset-retention' : ''}${config.offsetReset === 'latest' ? ' latest' : ''}`;

/** The faults of every campaign: all of them unless off, with the optional ones asked for. */
function faultsOf(o: CheckOptions): FaultSettings {
  if (o.faults === false) return noFaults;
  return { ...allFaults, ...(o.pattern ? { createTopics: 1 } : {}), ...(o.offsetRetention ? { offsetExpiries: 1 } : {}) };
}

/** What every campaign of a check shares: the instance, the faults (on or off) and the variant. */
const instanceOf = (o: CheckOptions & typeof checkDefaults, variant: Variant | undefined) => ({
  members: o.members,
  partitions: o.partitions,
  topics: o.topics,
  faults: faultsOf(o),
  racks: o.racks,
  pattern: o.pattern,
  offsetReset: o.offsetReset,
  variant,
});

/** A variant option as a variant: objects as they are, names and paths loaded. */
export const resolveVariant = async (v: Variant | string | undefined): Promise<Variant | undefined> =>
  typeof v === 'string' ? loadVariant(v) : v;

/** Runs the campaigns; a violation is shrunk (steps, then instance) into a counterexample. */
export async function check(options: CheckOptions = {}): Promise<CheckReport> {
  const variant = await resolveVariant(options.variant);
  const o = { ...checkDefaults, ...options };
  const shard = typeof o.shard === 'string' ? parseShard(o.shard) : o.shard;
  const campaigns: CampaignReport[] = [];
  for (const plan of planCampaigns(options, variant)) {
    const found = findCounterexample(plan.config, variant, {
      runs: o.runs,
      seed: o.seed,
      maxSteps: o.maxSteps,
      liveness: o.liveness,
      shrinkInstance: o.shrinkInstance,
      shard,
      onRun: o.onRun && ((done) => o.onRun?.(plan.label, done)),
    });
    const ok = !found.counterexample;
    campaigns.push({ ...plan, ok, result: found.result, counterexample: found.counterexample, violation: found.failure?.violation });
    if (!ok && o.stopAtFirstFailure !== false) break;
  }
  return { ok: campaigns.every((c) => c.ok), campaigns };
}

/** The classic side of a migration: its rebalance protocol and the assignor it runs by default. */
const classicSides: Array<{ protocol: Protocol; assignor: string }> = [
  { protocol: 'eager', assignor: 'range' },
  { protocol: 'cooperative', assignor: 'cooperative-sticky' },
];

/**
 * `--migration upgrade|downgrade`: a rolling switch of group.protocol with every fault on, once
 * per classic side (eager range, cooperative cooperative-sticky) unless --protocol or --assignor
 * picks one.
 */
function planMigration(o: CheckOptions & typeof checkDefaults, variant: Variant | undefined): CampaignPlan[] {
  const migration = o.migration;
  if (migration === undefined) throw new UsageError('--migration-policy needs --migration upgrade|downgrade');
  if (!migrations.includes(migration)) throw new UsageError(`unknown --migration '${migration}' (known: ${migrations.join(', ')})`);
  const policy = o.migrationPolicy ?? 'bidirectional';
  if (!migrationPolicies.includes(policy))
    throw new UsageError(`unknown --migration-policy '${policy}' (known: ${migrationPolicies.join(', ')})`);
  if (o.upgrade) throw new UsageError('--migration and --upgrade are different scenarios: pick one');
  if (o.static) throw new UsageError('--migration does not model static members yet (docs/migration.md): drop --static');
  if (o.protocol === 'consumer')
    throw new UsageError(
      '--migration runs the consumer protocol on the other side: --protocol names the classic side (eager, cooperative)',
    );
  if (o.protocol !== undefined && !protocols.includes(o.protocol))
    throw new UsageError(`unknown --protocol '${o.protocol}' (known: eager, cooperative)`);
  const sides = classicSides.filter((c) => o.protocol === undefined || c.protocol === o.protocol);
  return sides.map((side) => {
    const assignor = o.assignor ?? side.assignor;
    if (!assignorsFor(side.protocol, variant).includes(assignor))
      throw new UsageError(
        `unknown --assignor '${assignor}' for protocol ${side.protocol} (known: ${assignorsFor(side.protocol, variant).join(', ')})`,
      );
    const config = worldConfig({ ...instanceOf(o, variant), protocol: side.protocol, assignor, migration, migrationPolicy: policy });
    const arrow = migration === 'upgrade' ? `${side.protocol}/${assignor} -> consumer` : `consumer -> ${side.protocol}/${assignor}`;
    const label = `migration ${migration} ${arrow}, policy ${policy}${retentionLabel(config)}${variant ? ` variant ${variant.name}` : ''} (${count(config.members, 'member')} x ${count(Object.values(config.topics)[0], 'partition')})`;
    return { protocol: side.protocol, assignor, static: false, upgrade: false, migration, config, label };
  });
}
