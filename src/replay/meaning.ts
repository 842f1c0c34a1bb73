import type { Choice, Msg, World } from '../world/types.ts';

// Choices are stored by meaning, not by the world's message numbers: "deliver c1's JoinGroup
// with correlation id 3" stays meaningful when the model gains new kinds of messages.

export interface MessageRef {
  kind: string;
  client: string;
  /** Process incarnation of the client. */
  inc: number;
  corr: number;
}

export type StoredChoice = { kind: 'deliver' | 'drop'; message: MessageRef } | Exclude<Choice, { kind: 'deliver' } | { kind: 'drop' }>;

const refOf = (m: Msg): MessageRef => ({ kind: m.body.kind, client: m.body.client.client, inc: m.body.client.inc, corr: m.body.corr });

export function toStored(c: Choice, before: World): StoredChoice {
  if (c.kind !== 'deliver' && c.kind !== 'drop') return c;
  const m = before.net.find((x) => x.id === c.id);
  if (!m) throw new Error(`internal: message #${c.id} not in flight`);
  return { kind: c.kind, message: refOf(m) };
}

export const describeRef = (r: MessageRef) => `${r.kind} of ${r.client} (incarnation ${r.inc}, correlation ${r.corr})`;

/** The concrete choice in this world, or why the stored one no longer applies. */
export function fromStored(s: StoredChoice, w: World): Choice | string {
  if (!('message' in s)) return s;
  const r = s.message;
  const m = w.net.find(
    (x) => x.body.kind === r.kind && x.body.client.client === r.client && x.body.client.inc === r.inc && x.body.corr === r.corr,
  );
  return m ? { kind: s.kind, id: m.id } : `no ${describeRef(r)} is in flight`;
}
