import { tp, type TopicPartition } from '../types.ts';
import { sortedMembers, type Assignor, type AssignInput, type AssignOutput } from './types.ts';

/**
 * Kafka's RangeAssignor: per topic, the sorted subscribers get contiguous ranges;
 * the first `P mod C` get one extra partition. Balanced per topic, not across topics;
 * ignores owned partitions. Rack awareness (KIP-881) is not modelled.
 */
export const range: Assignor = {
  name: 'range',
  supportedProtocols: ['eager'],
  balance: 'per-topic',
  assign({ topics, subscriptions }: AssignInput): AssignOutput {
    const members = sortedMembers(subscriptions);
    const out: AssignOutput = {};
    for (const m of members) out[m] = [];
    const allTopics = [...new Set(members.flatMap((m) => subscriptions[m].topics))].sort();
    for (const topic of allTopics) {
      const n = topics[topic];
      if (n === undefined) continue; // unknown to the leader's metadata
      const consumers = members.filter((m) => subscriptions[m].topics.includes(topic));
      const per = Math.floor(n / consumers.length);
      const extra = n % consumers.length;
      consumers.forEach((m, i) => {
        const start = per * i + Math.min(i, extra);
        const len = per + (i < extra ? 1 : 0);
        for (let p = start; p < start + len; p++) out[m].push(tp(topic, p));
      });
    }
    return out;
  },
};

export type { TopicPartition };
