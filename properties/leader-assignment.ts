import type { JoinGroupResponse, SyncGroupRequest } from '../models/classic/messages.ts';
import type { Topics } from '../models/types.ts';
import type { ConsumerContext } from '../models/classic/consumer-state.ts';
import type { Choice, World } from '../src/world/types.ts';
import { delivered } from './step-facts.ts';
import { ctxOf, processOf } from '../src/world/view.ts';

/**
 * The classic leader ran its assignor in this step: its JoinGroup response (the assignor's input:
 * members, subscriptions, owned partitions, generations) was delivered, and its SyncGroup with
 * the assignments went out. Undefined for any other step, and for a leader whose assignor runs
 * later (a slow assignor, KIP-814's SkipAssignment).
 */
export function leaderAssignment(
  before: World,
  choice: Choice | null,
  after: World,
): { response: JoinGroupResponse; assignments: Record<string, string[]>; ctx: ConsumerContext; metadata: Topics } | undefined {
  const m = delivered(before, choice);
  if (m?.to !== 'client' || m.body.kind !== 'JoinGroupResponse') return undefined;
  const response = m.body as JoinGroupResponse;
  if (response.error !== 'NONE' || response.leaderId !== response.memberId || response.skipAssignment) return undefined;
  const sync = after.sent.find(
    (x) => x.body.kind === 'SyncGroup' && x.body.client.client === response.client.client && x.body.client.inc === response.client.inc,
  )?.body as SyncGroupRequest | undefined;
  // The leader's own process: a zombie's messages carry its slot's name, so the name alone would
  // find the replacement, whose metadata may be newer than what the zombie's assignor read.
  const slot = processOf(after, response.client);
  if (!sync?.assignments || !slot?.snapshot) return undefined;
  const ctx = ctxOf(slot) as ConsumerContext;
  // The leader's metadata, as the assignor read it.
  return { response, assignments: sync.assignments, ctx, metadata: ctx.assignedMetadata ?? ctx.metadata };
}
