package io.baton.api;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.InvalidJobGraphException;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the operators a job author defined into a {@link JobGraph}: chains operators that can pass
 * records by method call into one vertex, and connects the vertices with edges that say how records
 * are partitioned.
 *
 * <p>An operator chains to its input when the input feeds only it, by a forward connection, at the
 * same parallelism, and neither has chaining disabled; sources and keyed operators always head a
 * vertex. A forward connection between different parallelisms becomes a rebalance.
 */
final class JobGraphGenerator {
  private final List<StreamNode> nodes;
  private final int defaultParallelism;
  private final int maxParallelism;
  private final Map<StreamNode, List<StreamNode>> consumers = new IdentityHashMap<>();
  private final Map<StreamNode, String> uids = new IdentityHashMap<>();
  private final Map<StreamNode, Integer> vertexOf = new IdentityHashMap<>();

  JobGraphGenerator(List<StreamNode> nodes, int defaultParallelism, int maxParallelism) {
    this.nodes = nodes;
    this.defaultParallelism = defaultParallelism;
    this.maxParallelism = maxParallelism;
    for (StreamNode node : nodes) {
      consumers.put(node, new ArrayList<>());
      if (node.input != null) {
        consumers.get(node.input).add(node);
      }
    }
  }

  JobGraph generate(String jobName, Map<String, String> config) {
    if (nodes.isEmpty()) {
      throw new IllegalStateException(
          "job '" + jobName + "' has no operators: start with env.fromSource(...)");
    }
    assignUids();
    JobGraph.Builder builder = JobGraph.builder(jobName);
    config.forEach(builder::setConfig);
    List<StreamNode> heads = new ArrayList<>();
    for (StreamNode node : nodes) {
      if (vertexOf.containsKey(node)) {
        continue; // chained into an earlier vertex
      }
      heads.add(node);
      builder.addVertex(buildVertex(heads.size(), node));
    }
    for (StreamNode head : heads) {
      if (head.input != null) {
        builder.connect(
            vertexOf.get(head.input),
            vertexOf.get(head),
            edgePartitioning(head),
            head.inputPartitioning == Partitioning.HASH ? head.keySelector : null);
      }
    }
    try {
      return builder.build().validate(Integer.MAX_VALUE);
    } catch (InvalidJobGraphException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private JobVertex buildVertex(int vertexId, StreamNode head) {
    List<StreamNode> chain = new ArrayList<>();
    StreamNode tail = head;
    chain.add(tail);
    while (consumers.get(tail).size() == 1 && chainable(tail, consumers.get(tail).get(0))) {
      tail = consumers.get(tail).get(0);
      chain.add(tail);
    }
    List<OperatorSpec> specs = new ArrayList<>();
    for (StreamNode node : chain) {
      vertexOf.put(node, vertexId);
      specs.add(new OperatorSpec(uids.get(node), node.name, node.kind, node.function, keyOf(node)));
    }
    String name = chain.stream().map(n -> n.name).collect(Collectors.joining(" -> "));
    int parallelism = parallelism(head);
    return new JobVertex(vertexId, name, parallelism, maxParallelismFor(parallelism), specs);
  }

  // Flink's rule: room to scale up 1.5 times, at least 128 key groups, at most 2^15
  private int maxParallelismFor(int parallelism) {
    if (maxParallelism > 0) {
      return maxParallelism;
    }
    int wanted = Integer.highestOneBit(Math.max(1, parallelism + parallelism / 2 - 1)) << 1;
    return Math.min(
        Math.max(wanted, StreamEnvironment.DEFAULT_MAX_PARALLELISM),
        StreamEnvironment.UPPER_BOUND_MAX_PARALLELISM);
  }

  private static KeySelector<?, ?> keyOf(StreamNode node) {
    return node.kind == OperatorKind.KEYED_PROCESS ? node.keySelector : null;
  }

  private boolean chainable(StreamNode upstream, StreamNode downstream) {
    return downstream.inputPartitioning == Partitioning.FORWARD
        && downstream.kind != OperatorKind.SOURCE
        && downstream.kind != OperatorKind.KEYED_PROCESS
        && upstream.kind != OperatorKind.SINK
        && !upstream.chainingDisabled
        && !downstream.chainingDisabled
        && parallelism(upstream) == parallelism(downstream);
  }

  private Partitioning edgePartitioning(StreamNode head) {
    if (head.inputPartitioning == Partitioning.FORWARD
        && parallelism(head.input) != parallelism(head)) {
      return Partitioning.REBALANCE;
    }
    return head.inputPartitioning;
  }

  private int parallelism(StreamNode node) {
    return node.parallelismOr(defaultParallelism);
  }

  /**
   * The author's uid, or one derived from the operator's position: its input's uid, its kind and
   * its place among its input's consumers (among the sources, for a source). Adding operators
   * elsewhere in the job does not change it, so state stays found across such job changes.
   */
  private void assignUids() {
    Map<String, StreamNode> owners = new HashMap<>();
    int sourceIndex = 0;
    for (StreamNode node : nodes) {
      String uid = node.uid;
      if (uid == null) {
        String position =
            node.input == null
                ? "source/" + sourceIndex
                : uids.get(node.input) + "/" + consumers.get(node.input).indexOf(node);
        uid = "auto-" + hash(position + "/" + node.kind);
      }
      if (node.input == null) {
        sourceIndex++;
      }
      StreamNode previous = owners.putIfAbsent(uid, node);
      if (previous != null) {
        throw new IllegalStateException(
            "uid '"
                + uid
                + "' is used by both "
                + previous
                + " and "
                + node
                + "; uids must be unique");
      }
      uids.put(node, uid);
    }
  }

  private static String hash(String position) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(position.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
