import { partitionsOf, parseTp } from '../types.ts';
import { sortedMembers, type Assignor, type AssignInput, type AssignOutput } from './types.ts';

/**
 * Kafka's RoundRobinAssignor: all partitions of all subscribed topics sorted by
 * topic then partition, dealt in turn over the sorted members, skipping members
 * not subscribed to the partition's topic. Balanced with identical subscriptions;
 * not sticky.
 */
export const roundrobin: Assignor = {
  name: 'roundrobin',
  supportedProtocols: ['eager'],
  balance: 'global',
  assign({ topics, subscriptions }: AssignInput): AssignOutput {
    const members = sortedMembers(subscriptions);
    const out: AssignOutput = {};
    for (const m of members) out[m] = [];
    if (members.length === 0) return out;
    const allTopics = [...new Set(members.flatMap((m) => subscriptions[m].topics))].filter((t) => topics[t] !== undefined);
    let next = 0;
    for (const p of partitionsOf(topics, allTopics)) {
      const { topic } = parseTp(p);
      while (!subscriptions[members[next % members.length]].topics.includes(topic)) next++;
      out[members[next % members.length]].push(p);
      next++;
    }
    return out;
  },
};
