package io.baton.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton savepoint JOBID [DIR]}. */
@Command(
    name = "savepoint",
    mixinStandardHelpOptions = true,
    description = "Takes a savepoint of a running job and prints its path.")
final class SavepointCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "JOBID", description = "The job's id (32 hex digits).")
  String jobId;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description =
          "Where the savepoint goes: an absolute URI such as file:///path, hdfs://namenode:port/path"
              + " or s3://bucket/path (default: state.savepoints.dir).")
  String directory;

  SavepointCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    String target =
        directory == null ? null : LocationArgument.require(directory, "savepoint directory");
    String path = Savepoints.take(context, cluster.client(context.env()), jobId, target, false);
    context.out().println("Savepoint completed. Path: " + path);
    return 0;
  }
}
