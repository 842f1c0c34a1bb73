// A ConsumerRebalanceListener that writes the rebalance log read by `rebalance-check validate`:
// one JSON object a line with the time, this process, the member id, the generation (the
// classic generation or the KIP-848 member epoch) and the event. Paste it next to your consumer:
//
//   consumer.subscribe(List.of("orders"), new RebalanceLog(consumer, logStream));
//
// where logStream is a PrintStream of a file of its own (or System.err). To also run your own
// listener, call it from the three methods below. Works with the classic and the consumer
// (KIP-848) group protocols; it must run on the consumer's thread, as rebalance callbacks do.

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Locale;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

public class RebalanceLog implements ConsumerRebalanceListener {
  private final Consumer<?, ?> consumer;
  private final PrintStream out;
  /** pid@host: one consumer instance. */
  private final String process;

  public RebalanceLog(Consumer<?, ?> consumer, PrintStream out) {
    this(consumer, out, ManagementFactory.getRuntimeMXBean().getName());
  }

  public RebalanceLog(Consumer<?, ?> consumer, PrintStream out, String process) {
    this.consumer = consumer;
    this.out = out;
    this.process = process;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private void log(String event, Collection<TopicPartition> partitions) {
    long time = System.currentTimeMillis();
    ConsumerGroupMetadata group = consumer.groupMetadata();
    StringBuilder ps = new StringBuilder();
    for (TopicPartition tp : partitions) ps.append(ps.length() > 0 ? "," : "").append(quote(tp.topic() + "-" + tp.partition()));
    String line = "{\"time\":" + time + ",\"process\":" + quote(process) + ",\"member\":" + quote(group.memberId())
        + ",\"generation\":" + group.generationId() + ",\"event\":\"" + event + "\",\"partitions\":[" + ps + "]}";
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    log("assign", partitions);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    log("revoke", partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    log("lost", partitions);
  }
}
