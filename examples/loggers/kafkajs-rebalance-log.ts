import { hostname } from 'node:os';

// A kafkajs listener that writes the rebalance log read by `rebalance-check validate` (one JSON
// object a line). Paste it next to your consumer and call it before consumer.run():
//
//   logRebalances(consumer, (line) => stream.write(`${line}\n`));
//
// kafkajs rebalances eagerly and has no revoke callback: a GROUP_JOIN event carries the whole new
// assignment, and everything held before was given up when the join began (kafkajs stops
// fetching to rejoin). So each GROUP_JOIN writes a revoke of the previous assignment, timed at
// the join's start (the event's time minus its duration), then the assignment. STOP and CRASH
// write stop. kafkajs reports no generation.

/** The part of a kafkajs Consumer this needs. */
interface InstrumentedConsumer {
  events: { GROUP_JOIN: string; STOP: string; CRASH: string };
  on(event: string, listener: (e: { timestamp: number; payload: Record<string, unknown> }) => void): unknown;
}

export function logRebalances(
  consumer: InstrumentedConsumer,
  write: (line: string) => void,
  process_ = `${hostname()}:${process.pid}`,
): void {
  let held: string[] = [];
  const line = (time: number, member: unknown, event: string, partitions: string[]) =>
    write(JSON.stringify({ time, process: process_, ...(typeof member === 'string' ? { member } : {}), event, partitions }));
  consumer.on(consumer.events.GROUP_JOIN, ({ timestamp, payload }) => {
    const assignment = payload.memberAssignment as Record<string, number[]>;
    const partitions = Object.entries(assignment).flatMap(([topic, ps]) => ps.map((p) => `${topic}-${p}`));
    if (held.length > 0) line(timestamp - Number(payload.duration ?? 0), payload.memberId, 'revoke', held);
    line(timestamp, payload.memberId, 'assign', partitions);
    held = partitions;
  });
  for (const end of [consumer.events.STOP, consumer.events.CRASH])
    consumer.on(end, ({ timestamp }) => {
      line(timestamp, undefined, 'stop', []);
      held = [];
    });
}
