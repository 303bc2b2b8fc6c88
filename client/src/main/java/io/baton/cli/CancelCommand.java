package io.baton.cli;

import io.baton.common.ids.JobId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton cancel [-s [DIR]] JOBID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a job.")
final class CancelCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin ClusterOptions cluster;

  // optional to picocli: "cancel -s JOBID" hands the id to -s, and call() takes it back
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "JOBID",
      description = "The job's id (32 hex digits).")
  String jobId;

  // "" when -s comes without a directory: state.savepoints.dir
  @Option(
      names = {"-s", "--withSavepoint"},
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "DIR",
      description = "Take a savepoint (into DIR, default state.savepoints.dir), then cancel.")
  String savepointDirectory;

  CancelCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (jobId == null && savepointDirectory != null && !savepointDirectory.isEmpty()) {
      jobId = savepointDirectory;
      savepointDirectory = "";
    }
    if (jobId == null) {
      throw new CliException("missing JOBID (see 'baton cancel --help')");
    }
    if (savepointDirectory != null) {
      String target =
          savepointDirectory.isEmpty()
              ? null
              : LocationArgument.require(savepointDirectory, "savepoint directory");
      String path = Savepoints.take(context, cluster.client(context.env()), jobId, target, true);
      context.out().println("Cancelled job " + jobId + ". Savepoint stored in " + path + ".");
      return 0;
    }
    JobId id;
    try {
      id = JobId.parse(jobId);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    cluster.client(context.env()).patch("/jobs/" + id + "?mode=cancel");
    context.out().println("Cancelling job " + id + ".");
    return 0;
  }
}
