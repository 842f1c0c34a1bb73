import type { ClassicRequest, ClassicResponse } from '../../models/classic/messages.ts';
import type { Choice, Msg, World } from '../world/types.ts';
import { clientState, coord, coordState, ctxOf } from '../world/view.ts';

// Human-readable text for choices, messages and world states (timelines, failures).

export function describeMessage(m: Msg): string {
  const b = m.body;
  if (b.kind === 'FindCoordinator') return `FindCoordinator#${m.id} ${b.client.client}->brokers`;
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
    case 'failover':
      return 'coordinator fails over to another broker';
    case 'cut':
      return `cut the link of ${c.client}`;
    case 'callback':
      return `${c.client}'s onPartitionsRevoked returns`;
    case 'bounce':
      return `rolling restart of ${c.client} with its next configuration`;
    case 'subscribe':
      return `${c.client} subscribes to ${c.topics.join(', ')}`;
    case 'heal':
      return `heal the link of ${c.client}`;
    default:
      return `${c.kind} ${c.client}`;
  }
}

export function describeWorld(w: World): string {
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
    parts.push(`${s.name}:${clientState(s)} g${c.generation}${flags} [${c.owned.join(',')}]`);
  }
  return parts.join(' | ');
}
