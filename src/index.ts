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
export { explore, type ExploreOptions, type ExploreReport } from './api/explore.ts';
export { replay, type ReplayReport } from './api/replay.ts';
export { compare, type CompareOptions } from './api/compare.ts';
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
export { mutantVariant } from './mutate/mutants.ts';
