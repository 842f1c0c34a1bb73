import type { Invariant } from './invariant.ts';
import { balancedWhenStable } from './invariants/balance.ts';
import { commitFencing } from './invariants/commit-fencing.ts';
import { commitFormation } from './invariants/commit-formation.ts';
import { cooperativeKeepsUnmoved } from './invariants/cooperative-keeps.ts';
import { cooperativeNoDirectTransfer } from './invariants/cooperative-transfer.ts';
import { eagerRevokeBeforeJoin } from './invariants/eager-revoke.ts';
import { epochsGrow } from './invariants/epochs-grow.ts';
import { eventuallyStable } from './invariants/eventually-stable.ts';
import { boundedRebalance } from './invariants/bounded-rebalance.ts';
import { exclusiveHolding } from './invariants/exclusive-holding.ts';
import { fencedReleasesFirst } from './invariants/fenced-releases-first.ts';
import { ownerBookkeeping } from './invariants/owner-bookkeeping.ts';
import { reachesTarget } from './invariants/reaches-target.ts';
import { releaseAcknowledged } from './invariants/release-acknowledged.ts';
import { staleRequestsNoEffect } from './invariants/stale-requests-no-effect.ts';
import { assignorFailureNoEffect } from './invariants/assignor-failure.ts';
import { installsResolved } from './invariants/installs-resolved.ts';
import { staticRejoinNoBump } from './invariants/static-rejoin.ts';
import { generationAdvance } from './invariants/generation-advance.ts';
import { idleOnlyWhenOutnumbered } from './invariants/idle-members.ts';
import { oneMemberPerInstance } from './invariants/instance-unique.ts';
import { zombieFenced } from './invariants/zombie-fenced.ts';
import { leaderIsMember } from './invariants/leader.ts';
import { offsetHandover } from './invariants/offset-handover.ts';
import { offsetsRetained, skipOnlyOnReset } from './invariants/offset-retention.ts';
import { revokeBeforeAssign } from './invariants/revoke-before-assign.ts';
import { singleOwner } from './invariants/single-owner.ts';
import { stableCoverage } from './invariants/stable-coverage.ts';
import { noDropOnStale } from './invariants/stale-responses.ts';
import { memberIdKept } from './invariants/member-id-kept.ts';
import { noLostPartitions } from './invariants/no-lost-partitions.ts';
import { noNeedlessRebalance } from './invariants/no-needless-rebalance.ts';
import { noRewind } from './invariants/no-rewind.ts';
import { stickyAssignment } from './invariants/sticky-assignment.ts';
import { assignmentOrder } from './invariants/assignment-order.ts';
import { rackAligned } from './invariants/rack-aligned.ts';
import { noStarvingMember } from './invariants/no-starving-member.ts';
import { atLeastOnce } from './invariants/at-least-once.ts';
import { commitAcknowledged } from './invariants/commit-acknowledged.ts';
import { coordinatorDeadlines } from './invariants/coordinator-deadlines.ts';
import { requestDeadlines } from './invariants/request-deadlines.ts';
import { requestMatching } from './invariants/request-matching.ts';
import { lostBeforeRejoin } from './invariants/lost-before-rejoin.ts';
import { staticRestartNoRebalance } from './invariants/static-restart.ts';
import { leaveAfterRelease } from './invariants/leave-after-release.ts';
import { conversionKeepsOffsets } from './invariants/conversion-keeps-offsets.ts';
import { crossProtocolOwner } from './invariants/cross-protocol-owner.ts';
import { mixedCommitFencing } from './invariants/mixed-commit-fencing.ts';
import { mixedGroupAnswers } from './invariants/mixed-group-answers.ts';
import { mixedGroupType } from './invariants/mixed-group-type.ts';
import { coordinatorRecords } from './invariants/coordinator-records.ts';
import { requestBookkeeping } from './invariants/request-bookkeeping.ts';
import { heartbeatCadence } from './invariants/heartbeat-cadence.ts';
import { leftHoldsNothing } from './invariants/left-holds-nothing.ts';
import { commitMemberEpoch } from './invariants/commit-member-epoch.ts';
import { applicationCalls } from './invariants/application-calls.ts';
import { commitBeforeRevoke } from './invariants/commit-before-revoke.ts';
import { memberState } from './invariants/member-state.ts';
import { staticLeaveParks } from './invariants/static-leave-parks.ts';
import { kip848MemberRemoval } from './invariants/kip848-member-removal.ts';
import { classicGroupRecords } from './invariants/classic-group-records.ts';
import { classicGroupAnswers } from './invariants/classic-group-answers.ts';
import { initialRebalanceDelay } from './invariants/initial-rebalance-delay.ts';
import { classicClose } from './invariants/classic-close.ts';
import { classicCallbacks } from './invariants/classic-callbacks.ts';
import { kip848Close } from './invariants/kip848-close.ts';
import { kip848Callbacks } from './invariants/kip848-callbacks.ts';
import { kip848Requests } from './invariants/kip848-requests.ts';

export type { Invariant } from './invariant.ts';

/** Every invariant, in the order they are checked and reported. */
export const invariants: Invariant[] = [
  singleOwner,
  commitFencing,
  commitFormation,
  eagerRevokeBeforeJoin,
  stableCoverage,
  idleOnlyWhenOutnumbered,
  generationAdvance,
  leaderIsMember,
  cooperativeKeepsUnmoved,
  cooperativeNoDirectTransfer,
  revokeBeforeAssign,
  noDropOnStale,
  balancedWhenStable,
  offsetHandover,
  offsetsRetained,
  skipOnlyOnReset,
  staticRestartNoRebalance,
  oneMemberPerInstance,
  zombieFenced,
  leaveAfterRelease,
  memberIdKept,
  // KIP-848 consumer protocol only.
  exclusiveHolding,
  releaseAcknowledged,
  ownerBookkeeping,
  epochsGrow,
  fencedReleasesFirst,
  staleRequestsNoEffect,
  assignorFailureNoEffect,
  installsResolved,
  staticRejoinNoBump,
  reachesTarget,
  // KIP-848 bookkeeping, requests and timing (issue 13, part 2; docs/oracles.md).
  coordinatorRecords,
  requestBookkeeping,
  heartbeatCadence,
  leftHoldsNothing,
  commitMemberEpoch,
  applicationCalls,
  commitBeforeRevoke,
  memberState,
  staticLeaveParks,
  kip848MemberRemoval,
  kip848Close,
  kip848Callbacks,
  kip848Requests,
  // Harm beyond ownership and generations (docs/oracles.md).
  noNeedlessRebalance,
  noLostPartitions,
  noRewind,
  stickyAssignment,
  assignmentOrder,
  rackAligned,
  noStarvingMember,
  // Classic: at-least-once hygiene and timer discipline (docs/oracles.md).
  atLeastOnce,
  commitAcknowledged,
  coordinatorDeadlines,
  requestDeadlines,
  requestMatching,
  lostBeforeRejoin,
  classicClose,
  classicCallbacks,
  // Classic coordinator: bookkeeping and answers by Kafka's rules (docs/oracles.md).
  classicGroupRecords,
  classicGroupAnswers,
  initialRebalanceDelay,
  eventuallyStable,
  boundedRebalance,
  // Mixed groups (a migration between the classic and the consumer protocol) only.
  conversionKeepsOffsets,
  crossProtocolOwner,
  mixedCommitFencing,
  mixedGroupAnswers,
  mixedGroupType,
];

/**
 * The invariants of a migration run (a group holding classic and KIP-848 members, converted
 * between the two types): those stated over both protocols' processes alike. The ones that read
 * one coordinator's own bookkeeping (generations, leaders, partition epochs) hold while the group
 * has that type and are left to the single-protocol runs (docs/migration.md).
 */
export const migrationInvariants: Invariant[] = [
  singleOwner,
  idleOnlyWhenOutnumbered,
  balancedWhenStable,
  stableCoverage,
  offsetHandover,
  offsetsRetained,
  skipOnlyOnReset,
  oneMemberPerInstance,
  noLostPartitions,
  noRewind,
  conversionKeepsOffsets,
  crossProtocolOwner,
  mixedCommitFencing,
  mixedGroupAnswers,
  mixedGroupType,
  noNeedlessRebalance,
  stickyAssignment,
  noStarvingMember,
  eventuallyStable,
  boundedRebalance,
];

export const invariantsFor = (protocol: Invariant['protocols'][number]): Invariant[] =>
  invariants.filter((i) => i.protocols.includes(protocol) && !i.migrationOnly);
