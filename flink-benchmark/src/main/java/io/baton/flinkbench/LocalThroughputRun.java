package io.baton.flinkbench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of {@link FlinkLedger}'s logic on Flink's local cluster (a MiniCluster in this JVM) for
 * the throughput comparison. Prints the job's own duration as Flink reports it:
 *
 * <pre>
 * net_runtime_ms=&lt;JobExecutionResult.getNetRuntime()&gt;
 * wall_ms=&lt;execute() call, including the local cluster's start and stop&gt;
 * </pre>
 *
 * <p>The net runtime is the JobMaster's time from the job's creation (status INITIALIZING) to its
 * terminal status: scheduling, deployment, running and the final checkpoint that commits the file
 * sink, not the client's graph building or the local cluster's start-up.
 *
 * <pre>
 * --events N --keys K --output DIR [--parallelism P] [--checkpoint-interval MS] [--rate R]
 *         [--latency-histograms DIR]
 * </pre>
 */
public final class LocalThroughputRun {
  private LocalThroughputRun() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FlinkLedger.defineFrom(params, env);
    long start = System.nanoTime();
    JobExecutionResult result = env.execute("ledger");
    long wallMillis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("net_runtime_ms=" + result.getNetRuntime());
    System.out.println("wall_ms=" + wallMillis);
  }
}
