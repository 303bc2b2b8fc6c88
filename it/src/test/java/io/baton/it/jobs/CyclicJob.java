package io.baton.it.jobs;

import io.baton.api.StreamEnvironment;
import io.baton.api.connector.Sink;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import java.util.List;

/** A job whose hand-built graph loops: a → b → a. */
public final class CyclicJob {
  private CyclicJob() {}

  public static void main(String[] args) throws Exception {
    Sink<Object> discard = info -> record -> {};
    io.baton.api.functions.MapFunction<Object, Object> identity = x -> x;
    JobGraph graph =
        JobGraph.builder("cyclic")
            .addVertex(
                new JobVertex(
                    1,
                    "a",
                    1,
                    128,
                    List.of(new OperatorSpec("a", "a", OperatorKind.MAP, identity, null))))
            .addVertex(
                new JobVertex(
                    2,
                    "b",
                    1,
                    128,
                    List.of(new OperatorSpec("b", "b", OperatorKind.SINK, discard, null))))
            .connect(1, 2, Partitioning.FORWARD, null)
            .connect(2, 1, Partitioning.FORWARD, null)
            .build();
    StreamEnvironment.getEnvironment().executeGraph(graph);
  }
}
