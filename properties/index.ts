import type { Invariant } from './invariant.ts';
import { commitFencing } from './invariants/commit-fencing.ts';
import { eagerRevokeBeforeJoin } from './invariants/eager-revoke.ts';
import { eventuallyStable } from './invariants/eventually-stable.ts';
import { generationAdvance } from './invariants/generation-advance.ts';
import { idleOnlyWhenOutnumbered } from './invariants/idle-members.ts';
import { leaderIsMember } from './invariants/leader.ts';
import { singleOwner } from './invariants/single-owner.ts';
import { stableCoverage } from './invariants/stable-coverage.ts';

export type { Invariant } from './invariant.ts';

/** Every invariant, in the order they are checked and reported. */
export const invariants: Invariant[] = [
  singleOwner,
  commitFencing,
  eagerRevokeBeforeJoin,
  stableCoverage,
  idleOnlyWhenOutnumbered,
  generationAdvance,
  leaderIsMember,
  eventuallyStable,
];

export const invariantsFor = (protocol: Invariant['protocols'][number]): Invariant[] =>
  invariants.filter((i) => i.protocols.includes(protocol));
