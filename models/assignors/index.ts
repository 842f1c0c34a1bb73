import { cooperativeSticky } from './cooperative-sticky.ts';
import { range } from './range.ts';
import { roundrobin } from './roundrobin.ts';
import { sticky } from './sticky.ts';
import type { Assignor } from './types.ts';

export type { Assignor, AssignInput, AssignOutput, MemberSubscription, RebalanceProtocol } from './types.ts';

/** The built-in client-side assignors, by the protocol name members advertise. */
export const builtinAssignors: Record<string, Assignor> = {
  [range.name]: range,
  [roundrobin.name]: roundrobin,
  [sticky.name]: sticky,
  [cooperativeSticky.name]: cooperativeSticky,
};
