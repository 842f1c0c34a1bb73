import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The conformance harness's Java side (compiled by `npm run kafka:install` against kafka-clients).
 *
 * <p>{@code Driver admin BOOTSTRAP create TOPIC PARTITIONS}: waits for the broker, creates the topic.
 * {@code Driver admin BOOTSTRAP add TOPIC TOTAL}: grows the topic to TOTAL partitions.
 *
 * <p>{@code Driver consume key=value...}: one real KafkaConsumer in this JVM (so that a crash is a
 * real kill -9 of the process). It subscribes, polls, and writes one JSON line to stdout per event:
 * ready, every onPartitionsAssigned / onPartitionsRevoked / onPartitionsLost with the wall-clock
 * time, closed. It reads commands from stdin, one a line: {@code close} (graceful close: revoke,
 * LeaveGroup) and {@code stall MS} (the poll loop sleeps, as a stuck application does, so that
 * max.poll.interval.ms can expire), {@code subscribe T1,T2} (subscribe() again, with the
 * scenario's topic names). With {@code revokeDelayMs=MS} onPartitionsRevoked with partitions
 * returns only after MS. {@code topics=A,B} are the broker-side topics and {@code reports=t0,t1}
 * the scenario's names for them: partitions are reported as t0-N whatever A is called.
 */
public final class Driver {
  private static final Object OUT = new Object();
  private static int seq = 0;

  static double now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1000.0 + i.getNano() / 1e6;
  }

  static String time() {
    return String.format(java.util.Locale.ROOT, "%.3f", now());
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static void emit(String json) {
    synchronized (OUT) {
      System.out.println(json);
      System.out.flush();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("admin")) {
      System.exit(admin(args));
    } else if (args.length == 2 && args[0].equals("admin-server")) {
      adminServer(args[1]);
    } else if (args.length >= 1 && args[0].equals("consume")) {
      consume(args);
    } else {
      System.err.println("usage: Driver admin BOOTSTRAP create|add TOPIC N | Driver consume key=value...");
      System.exit(2);
    }
  }

  static Admin adminClient(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", "2000");
    p.put("default.api.timeout.ms", "5000");
    return Admin.create(p);
  }

  static int admin(String[] args) throws Exception {
    try (Admin admin = adminClient(args[1])) {
      return adminOp(admin, args[2], args[3], Integer.parseInt(args[4]));
    }
  }

  /**
   * One admin client for a whole run (a JVM start per topic is seconds on a loaded machine): reads
   * {@code create|add TOPIC N} lines on stdin, answers {@code ok} or {@code error MESSAGE} on stdout.
   */
  static void adminServer(String bootstrap) throws Exception {
    try (Admin admin = adminClient(bootstrap); BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] w = line.trim().split(" ");
        if (w.length != 3) {
          emit("error bad command: " + line);
          continue;
        }
        emit(adminOp(admin, w[0], w[1], Integer.parseInt(w[2])) == 0 ? "ok" : "error " + w[0] + " " + w[1] + " failed");
      }
    }
    System.exit(0);
  }

  static int adminOp(Admin admin, String op, String topic, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    {
      while (true) {
        try {
          if (op.equals("create")) {
            try {
              admin.createTopics(List.of(new NewTopic(topic, n, (short) 1))).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
              if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
          } else {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(n))).all().get(10, TimeUnit.SECONDS);
          }
          // The topic is usable once its metadata shows every partition.
          while (admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size() < n)
            Thread.sleep(20);
          return 0;
        } catch (Exception e) {
          if (System.currentTimeMillis() > deadline) {
            System.err.println("admin " + op + " " + topic + ": " + e);
            return 1;
          }
          Thread.sleep(100);
        }
      }
    }
  }

  static List<String> names(Collection<TopicPartition> tps, Map<String, String> report) {
    List<String> out = new ArrayList<>();
    for (TopicPartition tp : tps) out.add(report.getOrDefault(tp.topic(), tp.topic()) + "-" + tp.partition());
    out.sort(null);
    return out;
  }

  static void callback(String kind, Collection<TopicPartition> tps, boolean lost, double t, Map<String, String> report) {
    StringBuilder ps = new StringBuilder("[");
    for (String s : names(tps, report)) ps.append(ps.length() > 1 ? "," : "").append(quote(s));
    ps.append(']');
    emit("{\"type\":\"callback\",\"kind\":\"" + kind + "\",\"seq\":" + (seq++) + ",\"t\":" + String.format(java.util.Locale.ROOT, "%.3f", t) + ",\"partitions\":" + ps + ",\"lost\":" + lost + "}");
  }

  static void consume(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    // Broker-side topic names and the scenario's names for them, in the same order.
    String[] brokerTopics = o.get("topics").split(",");
    String[] reportTopics = o.get("reports").split(",");
    Map<String, String> report = new HashMap<>();
    Map<String, String> brokerName = new HashMap<>();
    for (int i = 0; i < brokerTopics.length; i++) {
      report.put(brokerTopics[i], reportTopics[i]);
      brokerName.put(reportTopics[i], brokerTopics[i]);
    }
    final long revokeDelayMs = Long.parseLong(o.getOrDefault("revokeDelayMs", "0"));
    Properties p = new Properties();
    p.put("bootstrap.servers", o.get("bootstrap"));
    p.put("group.id", o.get("group"));
    p.put("client.id", o.get("name"));
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("max.poll.interval.ms", o.get("maxPollIntervalMs"));
    // Bounded waits: reconnect fast after a link comes back, give up a silent connection soon.
    p.put("reconnect.backoff.ms", "50");
    p.put("reconnect.backoff.max.ms", "200");
    p.put("retry.backoff.ms", "50");
    p.put("retry.backoff.max.ms", "200");
    p.put("request.timeout.ms", o.get("requestTimeoutMs"));
    p.put("socket.connection.setup.timeout.ms", "1000");
    p.put("socket.connection.setup.timeout.max.ms", "2000");
    p.put("metadata.max.age.ms", "1000");
    if (o.containsKey("instance")) p.put("group.instance.id", o.get("instance"));
    if (o.get("protocol").equals("consumer")) {
      // KIP-848: the timers and the assignor are the broker's.
      p.put("group.protocol", "consumer");
    } else {
      p.put("group.protocol", "classic");
      String assignor = o.get("assignor");
      String cls =
          assignor.equals("range") ? "org.apache.kafka.clients.consumer.RangeAssignor"
          : assignor.equals("roundrobin") ? "org.apache.kafka.clients.consumer.RoundRobinAssignor"
          : assignor.equals("sticky") ? "org.apache.kafka.clients.consumer.StickyAssignor"
          : "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
      p.put("partition.assignment.strategy", cls);
      p.put("session.timeout.ms", o.get("sessionTimeoutMs"));
      p.put("heartbeat.interval.ms", o.get("heartbeatIntervalMs"));
    }
    ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
        for (String line; (line = in.readLine()) != null; ) commands.add(line.trim());
      } catch (Exception e) {
        // stdin failed: as closed.
      }
      // stdin closed: the orchestrator is gone and nobody reads this process any more (a close
      // under way is left to finish).
      if (!commands.contains("close")) Runtime.getRuntime().halt(0);
    });
    reader.setDaemon(true);
    reader.start();
    java.io.PrintStream logFile = o.containsKey("log") ? new java.io.PrintStream(new java.io.FileOutputStream(o.get("log"), true), true, "UTF-8") : null;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      // The ready-to-paste logger of docs/validate.md (examples/loggers/RebalanceLog.java), when asked
      // for: its log of this real consumer is what `rebalance-check validate` is tested on.
      ConsumerRebalanceListener userLog = logFile == null ? null : new RebalanceLog(consumer, logFile, o.get("name") + "@" + ProcessHandle.current().pid());
      ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
        // Ownership starts when the callback is entered and ends when the revoke returns.
        @Override public void onPartitionsAssigned(Collection<TopicPartition> tps) {
          callback("assign", tps, false, now(), report);
          if (userLog != null) userLog.onPartitionsAssigned(tps);
        }
        @Override public void onPartitionsRevoked(Collection<TopicPartition> tps) {
          if (userLog != null) userLog.onPartitionsRevoked(tps);
          callback("revoke", tps, false, now(), report);
          // A slow application (revokeDelayMs=MS): the callback returns only after MS, so that a
          // scenario can act while the member is still revoking.
          if (revokeDelayMs > 0 && !tps.isEmpty()) {
            try {
              Thread.sleep(revokeDelayMs);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
        @Override public void onPartitionsLost(Collection<TopicPartition> tps) {
          if (userLog != null) userLog.onPartitionsLost(tps);
          callback("revoke", tps, true, now(), report);
        }
      };
      consumer.subscribe(List.of(brokerTopics), listener);
      emit("{\"type\":\"ready\",\"t\":" + time() + "}");
      while (true) {
        String cmd = commands.peek();
        if (cmd != null && cmd.equals("close")) break;
        commands.poll();
        if (cmd != null && cmd.startsWith("subscribe ")) {
          List<String> topics = new ArrayList<>();
          for (String t : cmd.substring(10).split(",")) topics.add(brokerName.getOrDefault(t, t));
          consumer.subscribe(topics, listener);
        }
        if (cmd != null && cmd.startsWith("stall ")) {
          emit("{\"type\":\"log\",\"message\":\"stalling the poll loop " + cmd.substring(6) + " ms\"}");
          Thread.sleep(Long.parseLong(cmd.substring(6)));
        }
        try {
          consumer.poll(Duration.ofMillis(50));
        } catch (Exception e) {
          // A rebalance error surfaces from poll (e.g. a commit-less fenced member): report, go on.
          emit("{\"type\":\"log\",\"message\":" + quote(e.toString()) + "}");
        }
      }
      // Graceful close: the consumer revokes (callback), leaves the group, then closes.
    }
    emit("{\"type\":\"closed\",\"t\":" + time() + "}");
    System.exit(0);
  }
}
