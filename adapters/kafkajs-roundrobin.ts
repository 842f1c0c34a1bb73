// Adapter: kafkajs's own RoundRobinAssigner (kafkajs 2.2.4, a dev dependency), unchanged,
// behind the checker's assignor interface. Check it with
//   npx rebalance-check assignor adapters/kafkajs-roundrobin.ts
import { Buffer } from 'node:buffer';
import { AssignerProtocol, PartitionAssigners } from 'kafkajs';
import type { AssignInput, AssignOutput } from '../models/assignors/types.ts';
import type { UserAssignor } from '../src/assignor-check/types.ts';

/**
 * The one Cluster method the assigner calls: partition metadata from the leader's metadata
 * (none for a topic the metadata lacks, as kafkajs's Cluster returns for an unknown topic).
 */
const clusterOf = (topics: AssignInput['topics']) => ({
  findTopicPartitionMetadata: (topic: string) =>
    Array.from({ length: Object.hasOwn(topics, topic) ? topics[topic] : 0 }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    })),
});

export const assignor: UserAssignor = {
  name: 'kafkajs-roundrobin',
  supportedProtocols: ['eager'], // kafkajs has no COOPERATIVE protocol
  balance: 'global', // kafkajs documents it as spreading partitions evenly over members
  async assign({ topics, subscriptions }: AssignInput): Promise<AssignOutput> {
    const assigner = PartitionAssigners.roundRobin({ cluster: clusterOf(topics) } as never);
    // Each member's subscription as kafkajs members send it: MemberMetadata v0 with its topics.
    const members = Object.entries(subscriptions).map(([memberId, s]) => ({
      memberId,
      memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: s.topics, userData: Buffer.alloc(0) }),
    }));
    // The group's topics: every member's subscription (see the README: kafkajs's ConsumerGroup
    // actually passes the leader's own subscribed topics here).
    const groupTopics = [...new Set(Object.values(subscriptions).flatMap((s) => s.topics))].sort();
    const result = await assigner.assign({ members, topics: groupTopics });
    const out: AssignOutput = {};
    for (const { memberId, memberAssignment } of result) {
      const decoded = AssignerProtocol.MemberAssignment.decode(memberAssignment);
      out[memberId] = Object.entries(decoded?.assignment ?? {}).flatMap(([t, ps]) => ps.map((p) => `${t}-${p}`));
    }
    return out;
  },
};

export default assignor;
