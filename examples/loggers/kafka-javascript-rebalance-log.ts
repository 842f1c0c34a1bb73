import { hostname } from 'node:os';

// A rebalance callback for librdkafka through @confluentinc/kafka-javascript (or node-rdkafka)
// that writes the rebalance log read by `rebalance-check validate` (one JSON object a line) and
// does what the default callback does: (incremental) assign on ERR__ASSIGN_PARTITIONS,
// (incremental) unassign on ERR__REVOKE_PARTITIONS; a revocation after the member was removed
// from the group is written as lost. Paste it next to your consumer:
//
//   new KafkaConsumer({ ..., rebalance_cb: rebalanceLogger((line) => stream.write(`${line}\n`)) }, {})
//
// librdkafka's consumer API has no generation id: none is written.

interface TopicPartition {
  topic: string;
  partition: number;
}

/** The part of a KafkaConsumer the callback needs (it is called with the consumer as `this`). */
interface RebalancingConsumer {
  assign(tps: TopicPartition[]): void;
  unassign(): void;
  incrementalAssign(tps: TopicPartition[]): void;
  incrementalUnassign(tps: TopicPartition[]): void;
  assignmentLost(): boolean;
  rebalanceProtocol(): string;
}

const ERR__ASSIGN_PARTITIONS = -175;
const ERR__REVOKE_PARTITIONS = -174;

export function rebalanceLogger(write: (line: string) => void, process_ = `${hostname()}:${process.pid}`) {
  const line = (event: string, tps: TopicPartition[]) =>
    write(JSON.stringify({ time: Date.now(), process: process_, event, partitions: tps.map((tp) => `${tp.topic}-${tp.partition}`) }));
  return function rebalance_cb(this: RebalancingConsumer, err: { code: number }, assignment: TopicPartition[]): void {
    const cooperative = this.rebalanceProtocol() === 'COOPERATIVE';
    if (err.code === ERR__ASSIGN_PARTITIONS) {
      // Owned from here on.
      line('assign', assignment);
      if (cooperative) this.incrementalAssign(assignment);
      else this.assign(assignment);
    } else if (err.code === ERR__REVOKE_PARTITIONS) {
      const lost = this.assignmentLost();
      if (cooperative) this.incrementalUnassign(assignment);
      else this.unassign();
      // Given up once unassigned.
      line(lost ? 'lost' : 'revoke', assignment);
    }
  };
}
