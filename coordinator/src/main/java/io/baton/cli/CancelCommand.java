package io.baton.cli;

import io.baton.common.ids.JobId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton cancel JOBID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a job.")
final class CancelCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "JOBID", description = "The job's id (32 hex digits).")
  String jobId;

  CancelCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
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
