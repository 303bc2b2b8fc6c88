package io.baton.coordinator.program;

import io.baton.api.StreamEnvironment;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import java.io.FileNotFoundException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Job main classes that tests pack into jars with {@link TestJars}. They build their graphs by hand
 * and hand them over with {@link StreamEnvironment#executeGraph}.
 */
public final class TestJobs {
  private TestJobs() {}

  /** Builds a valid two-vertex job named after its arguments ("good job" without). */
  public static final class Good {
    public static void main(String[] args) throws Exception {
      String name = args.length == 0 ? "good job" : String.join(" ", args);
      StreamEnvironment.getEnvironment().executeGraph(pipeline(name, 2));
    }
  }

  /** Fails in main() with a wrapped cause. */
  public static final class Failing {
    public static void main(String[] args) {
      throw new IllegalStateException(
          "cannot start", new FileNotFoundException("/data/input.csv (No such file)"));
    }
  }

  /** Returns without building a job. */
  public static final class Idle {
    public static void main(String[] args) {}
  }

  /** Builds a graph whose vertices form a cycle. */
  public static final class Cyclic {
    public static void main(String[] args) throws Exception {
      JobGraph graph =
          JobGraph.builder("cyclic")
              .addVertex(vertex(1, "source", OperatorKind.SOURCE, 1))
              .addVertex(vertex(2, "a", OperatorKind.MAP, 1))
              .addVertex(vertex(3, "b", OperatorKind.MAP, 1))
              .connect(1, 2, Partitioning.REBALANCE, null)
              .connect(2, 3, Partitioning.REBALANCE, null)
              .connect(3, 2, Partitioning.REBALANCE, null)
              .build();
      StreamEnvironment.getEnvironment().executeGraph(graph);
    }
  }

  /** Asks for more parallelism than the cluster allows. */
  public static final class Wide {
    public static void main(String[] args) throws Exception {
      StreamEnvironment.getEnvironment().executeGraph(pipeline("wide", 2000));
    }
  }

  /** Submits two jobs. */
  public static final class Twice {
    public static void main(String[] args) throws Exception {
      StreamEnvironment.getEnvironment().executeGraph(pipeline("first", 1));
      StreamEnvironment.getEnvironment().executeGraph(pipeline("second", 1));
    }
  }

  /** Never returns until interrupted. */
  public static final class Blocking {
    public static void main(String[] args) throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  /** Ends the JVM it runs in before building a job. */
  public static final class Exiting {
    public static void main(String[] args) {
      System.exit(3);
    }
  }

  /** Builds its job, then ends the JVM instead of returning. */
  public static final class ExitingAfterExecute {
    public static void main(String[] args) throws Exception {
      StreamEnvironment.getEnvironment().executeGraph(pipeline("exits after execute", 1));
      System.exit(0);
    }
  }

  /** Spins forever, deaf to interrupts. */
  public static final class Spinning {
    public static volatile long spins;

    public static void main(String[] args) {
      while (true) {
        spins++;
      }
    }
  }

  /** Allocates until the heap is full. */
  public static final class Hungry {
    public static void main(String[] args) {
      List<long[]> hoard = new java.util.ArrayList<>();
      while (true) {
        hoard.add(new long[1024 * 1024]);
      }
    }
  }

  /** Has no main method. */
  public static final class NoMain {}

  /** A function object; its class comes from the job's jar. */
  public static final class Noop implements Serializable {}

  static JobGraph pipeline(String name, int parallelism) {
    return JobGraph.builder(name)
        .addVertex(vertex(1, name + " source", OperatorKind.SOURCE, parallelism))
        .addVertex(vertex(2, name + " sink", OperatorKind.SINK, parallelism))
        .connect(1, 2, Partitioning.FORWARD, null)
        .build();
  }

  static JobVertex vertex(int id, String name, OperatorKind kind, int parallelism) {
    return new JobVertex(
        id,
        name,
        parallelism,
        4096,
        List.of(new OperatorSpec("uid-" + id, name, kind, new Noop(), null)));
  }
}
