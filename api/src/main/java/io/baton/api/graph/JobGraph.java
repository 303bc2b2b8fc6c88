package io.baton.api.graph;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a job is: vertices (operator chains with a parallelism) connected by edges. Built by {@link
 * io.baton.api.StreamEnvironment} or by hand with {@link #builder}; validated by the JobManager
 * with {@link #validate} before anything is scheduled. Java-serializable: user functions travel
 * inside it.
 *
 * @param name the job's name
 * @param vertices in topological order once validated
 * @param edges indexed by {@link JobEdge#index()}
 * @param config per-job settings (e.g. {@code execution.checkpointing.interval}) that override the
 *     cluster's configuration for this job
 */
public record JobGraph(
    String name, List<JobVertex> vertices, List<JobEdge> edges, Map<String, String> config)
    implements Serializable {

  public JobGraph {
    Objects.requireNonNull(name, "name");
    vertices = List.copyOf(vertices);
    edges = List.copyOf(edges);
    config = Map.copyOf(config);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public Optional<JobVertex> vertex(int id) {
    return vertices.stream().filter(v -> v.id() == id).findFirst();
  }

  public List<JobEdge> inputsOf(int vertexId) {
    return edges.stream().filter(e -> e.targetVertexId() == vertexId).toList();
  }

  public List<JobEdge> outputsOf(int vertexId) {
    return edges.stream().filter(e -> e.sourceVertexId() == vertexId).toList();
  }

  /** Sum of all vertices' parallelism: the number of tasks the job deploys. */
  public int numberOfSubtasks() {
    return vertices.stream().mapToInt(JobVertex::parallelism).sum();
  }

  /** The largest vertex parallelism: the number of slots the job needs with slot sharing. */
  public int maxVertexParallelism() {
    return vertices.stream().mapToInt(JobVertex::parallelism).max().orElse(0);
  }

  /**
   * Checks that this graph can run: not empty, every edge between known vertices, no cycle, every
   * parallelism between 1 and {@code parallelismMax} and at most the vertex's max parallelism,
   * FORWARD edges between equal parallelism, sources without inputs, chains that start and end
   * right.
   *
   * @return this graph with its vertices in topological order
   * @throws InvalidJobGraphException with one line naming the first problem found
   */
  public JobGraph validate(int parallelismMax) throws InvalidJobGraphException {
    if (vertices.isEmpty()) {
      throw new InvalidJobGraphException("job '" + name + "' has no operators");
    }
    Map<Integer, JobVertex> byId = new LinkedHashMap<>();
    for (JobVertex v : vertices) {
      if (byId.put(v.id(), v) != null) {
        throw new InvalidJobGraphException("job '" + name + "' has two vertices with id " + v.id());
      }
      checkVertex(v, parallelismMax);
    }
    for (int i = 0; i < edges.size(); i++) {
      JobEdge e = edges.get(i);
      if (e.index() != i) {
        throw new InvalidJobGraphException("edge at position " + i + " has index " + e.index());
      }
      JobVertex from = byId.get(e.sourceVertexId());
      JobVertex to = byId.get(e.targetVertexId());
      if (from == null || to == null) {
        throw new InvalidJobGraphException(
            "edge "
                + i
                + " connects unknown vertex "
                + (from == null ? e.sourceVertexId() : e.targetVertexId()));
      }
      if (to.isSource()) {
        throw new InvalidJobGraphException("source '" + to.name() + "' cannot have an input");
      }
      if (e.partitioning() == Partitioning.FORWARD && from.parallelism() != to.parallelism()) {
        throw new InvalidJobGraphException(
            "forward edge from '"
                + from.name()
                + "' (parallelism "
                + from.parallelism()
                + ") to '"
                + to.name()
                + "' (parallelism "
                + to.parallelism()
                + ") needs equal parallelism; use rebalance()");
      }
    }
    for (JobVertex v : vertices) {
      if (!v.isSource() && inputsOf(v.id()).isEmpty()) {
        throw new InvalidJobGraphException(
            "vertex '" + v.name() + "' has no input and is not a source");
      }
    }
    return new JobGraph(name, topologicalOrder(byId), edges, config);
  }

  private void checkVertex(JobVertex v, int parallelismMax) throws InvalidJobGraphException {
    if (v.chain().isEmpty()) {
      throw new InvalidJobGraphException("vertex '" + v.name() + "' has no operators");
    }
    if (v.parallelism() < 1) {
      throw new InvalidJobGraphException(
          "operator '"
              + v.name()
              + "' has parallelism "
              + v.parallelism()
              + "; it must be at least 1");
    }
    if (v.parallelism() > parallelismMax) {
      throw new InvalidJobGraphException(
          "operator '"
              + v.name()
              + "' asks for parallelism "
              + v.parallelism()
              + ", more than parallelism.max ("
              + parallelismMax
              + ")");
    }
    if (v.parallelism() > v.maxParallelism()) {
      throw new InvalidJobGraphException(
          "operator '"
              + v.name()
              + "' has parallelism "
              + v.parallelism()
              + " above its max parallelism "
              + v.maxParallelism());
    }
    for (int i = 0; i < v.chain().size(); i++) {
      OperatorKind kind = v.chain().get(i).kind();
      if ((kind == OperatorKind.SOURCE || kind == OperatorKind.KEYED_PROCESS) && i > 0) {
        throw new InvalidJobGraphException(
            "operator '"
                + v.chain().get(i).name()
                + "' ("
                + kind
                + ") must head its chain in '"
                + v.name()
                + "'");
      }
      if (kind == OperatorKind.SINK && i < v.chain().size() - 1) {
        throw new InvalidJobGraphException(
            "sink '" + v.chain().get(i).name() + "' must end its chain");
      }
    }
  }

  private List<JobVertex> topologicalOrder(Map<Integer, JobVertex> byId)
      throws InvalidJobGraphException {
    Map<Integer, Integer> inDegree = new HashMap<>();
    byId.keySet().forEach(id -> inDegree.put(id, 0));
    edges.forEach(e -> inDegree.merge(e.targetVertexId(), 1, Integer::sum));
    Deque<Integer> ready = new ArrayDeque<>();
    inDegree.forEach(
        (id, d) -> {
          if (d == 0) {
            ready.add(id);
          }
        });
    List<JobVertex> order = new ArrayList<>();
    Set<Integer> done = new HashSet<>();
    while (!ready.isEmpty()) {
      int id = ready.poll();
      order.add(byId.get(id));
      done.add(id);
      for (JobEdge e : outputsOf(id)) {
        if (inDegree.merge(e.targetVertexId(), -1, Integer::sum) == 0) {
          ready.add(e.targetVertexId());
        }
      }
    }
    if (order.size() != byId.size()) {
      String inCycle =
          byId.values().stream()
              .filter(v -> !done.contains(v.id()))
              .map(JobVertex::name)
              .findFirst()
              .orElse("?");
      throw new InvalidJobGraphException(
          "job '" + name + "' has a cycle through '" + inCycle + "'");
    }
    return order;
  }

  /** Assembles a graph vertex by vertex; {@link io.baton.api.StreamEnvironment} uses it too. */
  public static final class Builder {
    private final String name;
    private final List<JobVertex> vertices = new ArrayList<>();
    private final List<JobEdge> edges = new ArrayList<>();
    private final Map<String, String> config = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder addVertex(JobVertex vertex) {
      vertices.add(vertex);
      return this;
    }

    /** Adds an edge; its index is its position. */
    public Builder connect(
        int sourceVertexId,
        int targetVertexId,
        Partitioning partitioning,
        io.baton.api.functions.KeySelector<?, ?> keySelector) {
      edges.add(
          new JobEdge(edges.size(), sourceVertexId, targetVertexId, partitioning, keySelector));
      return this;
    }

    public Builder setConfig(String key, String value) {
      config.put(key, value);
      return this;
    }

    public JobGraph build() {
      return new JobGraph(name, vertices, edges, config);
    }
  }
}
