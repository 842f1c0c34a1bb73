// The package's public API (`import { check, defineVariant } from 'rebalance-check'`): the library
// calls behind every command, with typed results and no printing, and the pieces a variant
// is made of. The CLI (src/cli/) is a layer over the same engines.

export {
  check,
  planCampaigns,
  checkDefaults,
  type CheckOptions,
  type CheckReport,
  type CampaignReport,
  type CampaignPlan,
} from './api/check.ts';
export { explore, planExplore, type ExploreOptions, type ExploreReport } from './api/explore.ts';
export { replay, type ReplayReport } from './api/replay.ts';
export { compare, type CompareOptions } from './api/compare.ts';
export { mutate, type MutateOptions, type MutateReport } from './api/mutate.ts';
export { validate, logProtocols, type LogProtocol, type ValidateOptions, type ValidateReport } from './api/validate.ts';
export type { ComparisonResult, DesignResult, Timing } from './compare/compare.ts';
export { UsageError } from './core/errors.ts';
export type { Counterexample } from './replay/counterexample.ts';
export { writeCounterexample } from './replay/save.ts';
export type { Violation } from './run/run.ts';
export { invariants } from '../properties/index.ts';
export type { Invariant } from '../properties/invariant.ts';
export { catalogue } from './variants/catalogue.ts';

export { defineVariant, isVariant } from './variants/variant.ts';
export type { Variant, VariantInput, VariantSettings } from './variants/variant.ts';
export type { Overrides } from './world/model.ts';
export type { Assignor, AssignInput, AssignOutput, MemberSubscription, RebalanceProtocol } from '../models/assignors/types.ts';
export type { TimerSettings } from '../models/types.ts';
export type { FaultSettings, Protocol, WorldConfig } from './world/types.ts';
export { assign, enqueueActions } from 'xstate';
export { checkAssignor, type AssignorReport, type CheckAssignorOptions, type PropertyResult } from './assignor-check/check.ts';
export { AssignorLoadError } from './assignor-check/claims.ts';
export type { AssignorClaims, UserAssignor } from './assignor-check/types.ts';

// What a variant builds on, so that it changes one decision without copying code: the built-in
// assignors (wrap one: `{ ...range, assign: (input) => change(range.assign(input)) }`), the
// sticky engine behind sticky and cooperative-sticky, the KIP-848 server-side assignors, and the
// helpers the machines' actions and guards are made of (docs/variants.md).
export { builtinAssignors } from '../models/assignors/index.ts';
export { range } from '../models/assignors/range.ts';
export { roundrobin } from '../models/assignors/roundrobin.ts';
export { sticky } from '../models/assignors/sticky.ts';
export { cooperativeSticky } from '../models/assignors/cooperative-sticky.ts';
export { stickyAssign, DEFAULT_GENERATION, type EngineResult } from '../models/assignors/sticky-engine.ts';
export { sortedMembers } from '../models/assignors/types.ts';
export {
  serverAssignors,
  uniform,
  serverRange,
  defaultServerAssignor,
  type ServerAssignor,
  type ServerAssignInput,
  type ServerMember,
} from '../models/consumer-protocol/assignors.ts';
export { coordinatorDecisions, consumerDecisions } from '../models/classic/decisions.ts';
/** The classic group coordinator's context, events and helpers (models/classic/coordinator-state.ts). */
export * as classicCoordinator from '../models/classic/coordinator-state.ts';
/** The classic consumer's context, events and helpers (models/classic/consumer-state.ts). */
export * as classicConsumer from '../models/classic/consumer-state.ts';
/** The KIP-848 group coordinator's context and reconciliation helpers (models/consumer-protocol/coordinator-state.ts). */
export * as groupCoordinator from '../models/consumer-protocol/coordinator-state.ts';
/** The KIP-848 member's context and helpers (models/consumer-protocol/member-state.ts). */
export * as groupMember from '../models/consumer-protocol/member-state.ts';
export { mutantVariant } from './mutate/mutants.ts';
export { builtins } from './variants/builtins.ts';
export { variantState, perMember, type VariantState } from './variants/state.ts';
