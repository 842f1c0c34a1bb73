// A deliberately broken assignor, to see what a finding looks like:
//   npx rebalance-check assignor examples/broken-assignor.ts
// It deals every subscribed partition round-robin over the sorted subscribers, but when a
// topic has fewer partitions than subscribers it also hands the topic's first partition to the
// last subscriber, "so that nobody sits idle": that partition is then consumed twice.
import type { AssignInput, AssignOutput } from '../src/index.ts';

export default {
  name: 'broken-roundrobin',
  supportedProtocols: ['eager'],
  assign({ topics, subscriptions }: AssignInput): AssignOutput {
    const members = Object.keys(subscriptions).sort();
    const out: AssignOutput = Object.fromEntries(members.map((m) => [m, []]));
    for (const topic of Object.keys(topics).sort()) {
      const subscribers = members.filter((m) => subscriptions[m].topics.includes(topic));
      if (subscribers.length === 0) continue;
      for (let p = 0; p < topics[topic]; p++) out[subscribers[p % subscribers.length]].push(`${topic}-${p}`);
      const idle = subscribers[subscribers.length - 1];
      if (topics[topic] > 0 && topics[topic] < subscribers.length) out[idle].push(`${topic}-0`);
    }
    return out;
  },
};
