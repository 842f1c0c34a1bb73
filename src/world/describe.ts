import type { ClassicRequest, ClassicResponse } from '../../models/classic/messages.ts';
import type { Choice, Msg, World } from './types.ts';
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
  ConsumerOffsetCommitRequest,
} from '../../models/consumer-protocol/messages.ts';
import { groupOf, groupState, memberCtxOf } from './consumer-view.ts';
import { clientState, coord, coordState, ctxOf } from './view.ts';

// Human-readable text for choices, messages and world states (timelines, failures).

const list = (ps: readonly string[] | null) => (ps === null ? '-' : `[${ps.join(',')}]`);

/** KIP-848 messages: epochs and assignments instead of generations and leaders. */
function describeConsumerMessage(m: Msg): string | undefined {
  const b = m.body;
  if (b.kind === 'ConsumerGroupHeartbeat') {
    const r = b as ConsumerGroupHeartbeatRequest;
    const extra = (r.topics ? ` topics=${r.topics.join(',')}` : '') + (r.owned !== null ? ` owned=${list(r.owned)}` : '');
    return `ConsumerGroupHeartbeat#${m.id} ${r.client.client}->coordinator member=${r.memberId} epoch=${r.memberEpoch}${extra}`;
  }
  if (b.kind === 'ConsumerGroupHeartbeatResponse') {
    const r = b as ConsumerGroupHeartbeatResponse;
    const extra = r.error === 'NONE' ? ` epoch=${r.memberEpoch}${r.assignment !== null ? ` ${list(r.assignment)}` : ''}` : '';
    return `ConsumerGroupHeartbeatResponse#${m.id} coordinator->${r.client.client} ${r.error}${extra}`;
  }
  if (b.kind === 'OffsetCommit' && 'memberEpoch' in b) {
    const r = b as ConsumerOffsetCommitRequest;
    return `OffsetCommit#${m.id} ${r.client.client}->coordinator member=${r.memberId} epoch=${r.memberEpoch}`;
  }
  return undefined;
}

export function describeMessage(m: Msg): string {
  const b = m.body;
  if (b.kind === 'FindCoordinator') return `FindCoordinator#${m.id} ${b.client.client}->brokers`;
  const kip848 = describeConsumerMessage(m);
  if (kip848) return kip848;
  if (m.to === 'coordinator') {
    const r = b as ClassicRequest;
    const gen = 'generation' in r ? ` gen=${r.generation}` : '';
    const id = r.memberId ? ` member=${r.memberId}` : '';
    return `${r.kind}#${m.id} ${r.client.client}->coordinator${id}${gen}`;
  }
  const r = b as ClassicResponse;
  let extra = '';
  if (r.kind === 'JoinGroupResponse' && r.error === 'NONE') extra = ` gen=${r.generation} leader=${r.leaderId}`;
  if (r.kind === 'JoinGroupResponse' && r.error === 'MEMBER_ID_REQUIRED') extra = ` member=${r.memberId}`;
  if (r.kind === 'SyncGroupResponse' && r.error === 'NONE') extra = ` [${r.assignment.join(',')}]`;
  if (r.kind === 'FindCoordinatorResponse') extra = ` epoch=${r.epoch}`;
  return `${r.kind}#${m.id} coordinator->${r.client.client} ${r.error}${extra}`;
}

const callbackNames: Record<string, string> = {
  revoking: 'onPartitionsRevoked',
  assigning: 'onPartitionsAssigned',
  losing: 'onPartitionsLost',
  releasing: 'close() callback (onPartitionsRevoked or onPartitionsLost)',
  computing: 'slow assignor (onLeaderElected)',
};

export function describeChoice(c: Choice | null, before?: World): string {
  if (c === null) return 'faults stop; fair schedule ends';
  switch (c.kind) {
    case 'deliver':
    case 'drop': {
      const m = before?.net.find((x) => x.id === c.id);
      return `${c.kind} ${m ? describeMessage(m) : `#${c.id}`}`;
    }
    case 'fire':
      return `timer ${c.target}.${c.timer}`;
    case 'addPartition':
      return `add a partition to ${c.topic}`;
    case 'createTopic':
      return `create topic ${c.topic} (one partition; consumers see it with their next metadata refresh)`;
    case 'failover':
      return 'coordinator fails over to another broker';
    case 'expireOffsets':
      return "offsets.retention.minutes pass; the coordinator's offset cleanup deletes the committed offsets its expiration condition allows";
    case 'moveReplica':
      return `move ${c.partition}'s replica to the next rack (KIP-881: a leader with client.rack sees it in its metadata)`;
    case 'cut':
      return `cut the link of ${c.client}`;
    case 'callback': {
      // Which callback it is, read from the state the process is in (both protocols share the names).
      const s = before?.clients.find((x) => x.name === c.client);
      return `${c.client}'s ${callbackNames[String(s?.snapshot?.value)] ?? 'rebalance callback'} returns`;
    }
    case 'bounce':
      return `rolling restart of ${c.client} with its next configuration`;
    case 'subscribe':
      return `${c.client} subscribes to ${c.topics.join(', ')}`;
    case 'heal':
      return `heal the link of ${c.client}`;
    case 'slowAssignor':
      return `${c.client}'s assignor will take time in the round its JoinGroupResponse completes (the SyncGroup waits for the callback choice)`;
    case 'assignorFails':
      if (before?.family === 'consumer')
        return `deliver ${c.client}'s heartbeat; the coordinator's server assignor throws computing the new target (UNKNOWN_SERVER_ERROR, nothing written)`;
      return `${c.client}'s assignor will throw in the round its JoinGroupResponse completes (the leader fails the round)`;
    case 'replace': {
      const s = before?.clients.find((x) => x.name === c.client);
      const instance = (s?.snapshot?.context as { cfg?: { instanceId?: string | null } } | undefined)?.cfg?.instanceId;
      const next = instance ? 'a new one starts with the same group.instance.id' : 'a new one starts as a new member';
      return `${c.client} is replaced: its process runs on as zombie ${c.client}#${s?.inc ?? '?'}, ${next}`;
    }
    default:
      return `${c.kind} ${c.client}`;
  }
}

/** The group and every process: `group <state> epoch=<group epoch> target=<target epoch> | c1:stable e5 [..]`. */
function describeConsumerWorld(w: World): string {
  const g = groupOf(w);
  const epoch = w.coordinatorEpoch > 0 ? ` coordinator=${w.coordinatorEpoch}` : '';
  const parts = [`group ${groupState(w)} epoch=${g.groupEpoch} target=${g.targetEpoch}${epoch}`];
  for (const s of w.clients) {
    if (!s.snapshot) {
      parts.push(`${s.name}:${s.status}`);
      continue;
    }
    const c = memberCtxOf(s);
    const flags = (c.stalled ? ' stalled' : '') + (s.cut ? ' cut' : '');
    // A classic process in a consumer group (a migration) shows its generation.
    const epoch = c.cfg.protocol === 'consumer' ? `e${c.memberEpoch}` : `classic g${(c as unknown as { generation: number }).generation}`;
    parts.push(`${s.name}:${clientState(s)} ${epoch}${flags} [${c.owned.join(',')}]`);
  }
  return parts.join(' | ');
}

export function describeWorld(w: World): string {
  if (w.family === 'consumer') return describeConsumerWorld(w);
  const g = coord(w);
  const epoch = w.coordinatorEpoch > 0 ? ` epoch=${w.coordinatorEpoch}` : '';
  const parts = [`group ${coordState(w)} gen=${g.generation} leader=${g.leaderId ?? '-'}${epoch}`];
  for (const s of w.clients) {
    if (!s.snapshot) {
      parts.push(`${s.name}:${s.status}`);
      continue;
    }
    const c = ctxOf(s);
    const flags = (c.stalled ? ' stalled' : '') + (s.cut ? ' cut' : '') + (c.isLeader ? ' L' : '');
    const gen =
      (c.cfg.protocol as string) === 'consumer' ? `consumer e${(c as unknown as { memberEpoch: number }).memberEpoch}` : `g${c.generation}`;
    parts.push(`${s.name}:${clientState(s)} ${gen}${flags} [${c.owned.join(',')}]`);
  }
  return parts.join(' | ');
}
