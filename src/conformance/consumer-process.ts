import { requireReal } from './install.ts';
import type { ChildMessage, ConsumerSpec, ParentMessage } from './ipc.ts';

// One real librdkafka consumer in its own process (so that a crash is a real kill -9). It
// subscribes, serves its rebalance callback and reports every assign and revoke to the parent
// over IPC with a per-process sequence number and a wall-clock time (the parent orders the
// processes' callbacks by that time: they share the machine's clock).

interface TopicPartition {
  topic: string;
  partition: number;
}

interface KafkaConsumer {
  on(event: string, fn: (...args: never[]) => void): void;
  connect(): void;
  subscribe(topics: string[]): void;
  consume(): void;
  assign(tps: TopicPartition[]): void;
  unassign(): void;
  incrementalAssign(tps: TopicPartition[]): void;
  incrementalUnassign(tps: TopicPartition[]): void;
  assignmentLost(): boolean;
  rebalanceProtocol(): string;
  disconnect(cb: () => void): void;
}

const ERR_ASSIGN = -175;
const ERR_REVOKE = -174;

const spec = JSON.parse(process.argv[2]) as ConsumerSpec;
const send = (m: ChildMessage) => process.send?.(m);
let seq = 0;
let closing = false;
const now = () => performance.timeOrigin + performance.now();
const reportName = (topic: string) => spec.reportTopics[spec.topics.indexOf(topic)] ?? topic;
const brokerName = (report: string) => spec.topics[spec.reportTopics.indexOf(report)] ?? report;
const names = (tps: TopicPartition[]) => tps.map((tp) => `${reportName(tp.topic)}-${tp.partition}`).sort();

const { KafkaConsumer } = requireReal('@confluentinc/kafka-javascript') as {
  KafkaConsumer: new (conf: object, topicConf: object) => KafkaConsumer;
};

const classic = spec.protocol !== 'consumer';
const conf: Record<string, unknown> = {
  'bootstrap.servers': spec.bootstraps,
  'group.id': spec.group,
  'client.id': spec.name,
  'enable.auto.commit': false,
  log_level: 3,
  // Bounded waits: reconnect fast after a broker comes back.
  'reconnect.backoff.ms': 50,
  'reconnect.backoff.max.ms': 200,
  'retry.backoff.ms': 50,
  'socket.connection.setup.timeout.ms': 1000,
  'topic.metadata.refresh.interval.ms': 1000,
  ...(spec.instanceId ? { 'group.instance.id': spec.instanceId } : {}),
  rebalance_cb(this: KafkaConsumer, err: { code: number }, assignment: TopicPartition[]) {
    const cooperative = this.rebalanceProtocol() === 'COOPERATIVE';
    if (err.code === ERR_ASSIGN) {
      // Ownership starts when the callback is entered.
      const t = now();
      try {
        if (cooperative) this.incrementalAssign(assignment);
        else this.assign(assignment);
      } catch (e) {
        // A join that completes while disconnect() is under way: the closing client cannot take
        // the assignment (librdkafka throws), so it never owned it.
        if (!closing) throw e;
        send({ type: 'log', message: `assignment refused while closing: ${String((e as Error)?.message ?? e)}` });
        return;
      }
      send({ type: 'callback', kind: 'assign', seq: seq++, t, partitions: names(assignment), lost: false });
    } else if (err.code === ERR_REVOKE) {
      const lost = this.assignmentLost();
      if (cooperative) this.incrementalUnassign(assignment);
      else this.unassign();
      // Ownership ends once the partitions are given up.
      send({ type: 'callback', kind: 'revoke', seq: seq++, t: now(), partitions: names(assignment), lost });
    } else send({ type: 'error', message: `rebalance callback error ${err.code}` });
  },
};
if (classic) {
  conf['partition.assignment.strategy'] = spec.assignor ?? (spec.protocol === 'eager' ? 'range' : 'cooperative-sticky');
  conf['session.timeout.ms'] = spec.sessionTimeoutMs;
  conf['heartbeat.interval.ms'] = spec.heartbeatIntervalMs;
} else {
  // KIP-848: timers are broker-side (set on the mock cluster); the assignor is the broker's.
  conf['group.protocol'] = 'consumer';
}
conf['max.poll.interval.ms'] = spec.maxPollIntervalMs;

const consumer = new KafkaConsumer(conf, { 'auto.offset.reset': 'earliest' });
consumer.on('event.error', (e: Error) => send({ type: 'log', message: String(e?.message ?? e) }));
consumer.on('ready', () => {
  consumer.subscribe(spec.topics);
  consumer.consume();
  send({ type: 'ready', t: now() });
});
consumer.connect();

process.on('message', (m: ParentMessage) => {
  // A stall of the poll loop is driven on the Java consumer only: this process consumes in
  // librdkafka's flowing mode, whose background thread keeps polling whatever the application does.
  if (m.type === 'stall') send({ type: 'error', message: 'stall is not supported on the librdkafka consumer' });
  if (m.type === 'subscribe') consumer.subscribe(m.topics.map(brokerName));
  if (m.type === 'close') {
    closing = true;
    // Graceful leave: librdkafka revokes (rebalance callback), sends LeaveGroup, then closes.
    consumer.disconnect(() => {
      send({ type: 'closed', t: now() });
      setTimeout(() => process.exit(0), 10);
    });
  }
});
process.on('disconnect', () => process.exit(0));
