import { librdkafkaPath, missingInstall, requireReal } from './install.ts';

// librdkafka's built-in mock cluster (rdkafka_mock.h), reached through koffi. It runs real
// group coordinators, classic (JoinGroup/SyncGroup/Heartbeat) and KIP-848
// (ConsumerGroupHeartbeat), on threads of one rd_kafka_t handle in this process; consumer
// processes connect to it through its bootstrap address like to any cluster.

/** Minimal koffi surface used here (koffi is loaded from conformance/ at run time). */
interface Koffi {
  load(path: string): { func(definition: string): (...args: unknown[]) => unknown };
}

interface Api {
  conf_new(): unknown;
  conf_set(conf: unknown, name: string, value: string, errstr: Buffer, size: number): number;
  kafka_new(type: number, conf: unknown, errstr: Buffer, size: number): unknown;
  kafka_destroy(rk: unknown): void;
  cluster_new(rk: unknown, brokers: number): unknown;
  cluster_destroy(mc: unknown): void;
  bootstraps(mc: unknown): string;
  topic_create(mc: unknown, topic: string, partitions: number, replication: number): number;
  broker_down(mc: unknown, broker: number): number;
  broker_up(mc: unknown, broker: number): number;
  coordinator_set(mc: unknown, keyType: string, key: string, broker: number): number;
  initial_delay(mc: unknown, ms: number): void;
  consumer_session_timeout(mc: unknown, ms: number): void;
  consumer_heartbeat_interval(mc: unknown, ms: number): void;
}

let api: Api | undefined;

function bind(): Api {
  if (api) return api;
  const why = missingInstall();
  if (why) throw new Error(why);
  const koffi = requireReal('koffi') as Koffi;
  const lib = koffi.load(librdkafkaPath()!);
  const f = (d: string) => lib.func(d);
  api = {
    conf_new: f('void *rd_kafka_conf_new()') as Api['conf_new'],
    conf_set: f('int rd_kafka_conf_set(void *conf, const char *name, const char *value, char *errstr, size_t size)') as Api['conf_set'],
    kafka_new: f('void *rd_kafka_new(int type, void *conf, char *errstr, size_t size)') as Api['kafka_new'],
    kafka_destroy: f('void rd_kafka_destroy(void *rk)') as Api['kafka_destroy'],
    cluster_new: f('void *rd_kafka_mock_cluster_new(void *rk, int broker_cnt)') as Api['cluster_new'],
    cluster_destroy: f('void rd_kafka_mock_cluster_destroy(void *mc)') as Api['cluster_destroy'],
    bootstraps: f('const char *rd_kafka_mock_cluster_bootstraps(void *mc)') as Api['bootstraps'],
    topic_create: f(
      'int rd_kafka_mock_topic_create(void *mc, const char *topic, int partition_cnt, int replication_factor)',
    ) as Api['topic_create'],
    broker_down: f('int rd_kafka_mock_broker_set_down(void *mc, int32_t broker_id)') as Api['broker_down'],
    broker_up: f('int rd_kafka_mock_broker_set_up(void *mc, int32_t broker_id)') as Api['broker_up'],
    coordinator_set: f(
      'int rd_kafka_mock_coordinator_set(void *mc, const char *key_type, const char *key, int32_t broker_id)',
    ) as Api['coordinator_set'],
    initial_delay: f('void rd_kafka_mock_group_initial_rebalance_delay_ms(void *mc, int32_t delay_ms)') as Api['initial_delay'],
    consumer_session_timeout: f(
      'void rd_kafka_mock_set_group_consumer_session_timeout_ms(void *mc, int ms)',
    ) as Api['consumer_session_timeout'],
    consumer_heartbeat_interval: f(
      'void rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(void *mc, int ms)',
    ) as Api['consumer_heartbeat_interval'],
  };
  return api;
}

export interface MockSettings {
  brokers: number;
  /** Broker-side group.initial.rebalance.delay.ms (classic). */
  initialRebalanceDelayMs: number;
  /** Broker-side group.consumer.session.timeout.ms and heartbeat interval (KIP-848). */
  consumerSessionTimeoutMs: number;
  consumerHeartbeatIntervalMs: number;
}

const RD_KAFKA_PRODUCER = 0;

export class MockCluster {
  readonly bootstraps: string;
  private rk: unknown;
  private mc: unknown;
  private readonly api: Api;

  constructor(readonly settings: MockSettings) {
    this.api = bind();
    const a = this.api;
    const err = Buffer.alloc(512);
    const conf = a.conf_new();
    // The handle only hosts the mock cluster's threads; keep its own logging quiet.
    a.conf_set(conf, 'log_level', '0', err, err.length);
    this.rk = a.kafka_new(RD_KAFKA_PRODUCER, conf, err, err.length);
    if (!this.rk) throw new Error(`rd_kafka_new failed: ${err.toString('utf8').replace(/\0.*$/s, '')}`);
    this.mc = a.cluster_new(this.rk, settings.brokers);
    if (!this.mc) throw new Error('rd_kafka_mock_cluster_new failed');
    this.bootstraps = a.bootstraps(this.mc);
    a.initial_delay(this.mc, settings.initialRebalanceDelayMs);
    a.consumer_session_timeout(this.mc, settings.consumerSessionTimeoutMs);
    a.consumer_heartbeat_interval(this.mc, settings.consumerHeartbeatIntervalMs);
  }

  createTopic(topic: string, partitions: number): void {
    this.check(this.api.topic_create(this.mc, topic, partitions, 1), `create topic ${topic}`);
  }

  brokerDown(broker: number): void {
    this.check(this.api.broker_down(this.mc, broker), `broker ${broker} down`);
  }

  brokerUp(broker: number): void {
    this.check(this.api.broker_up(this.mc, broker), `broker ${broker} up`);
  }

  /** Moves the group's coordinator. The mock keeps the group's state cluster-wide: nothing is reloaded. */
  setCoordinator(group: string, broker: number): void {
    this.check(this.api.coordinator_set(this.mc, 'group', group, broker), `coordinator of ${group} to broker ${broker}`);
  }

  destroy(): void {
    if (this.mc) this.api.cluster_destroy(this.mc);
    if (this.rk) this.api.kafka_destroy(this.rk);
    this.mc = this.rk = null;
  }

  private check(code: number, what: string) {
    if (code !== 0) throw new Error(`mock cluster: ${what} failed with error ${code}`);
  }
}
