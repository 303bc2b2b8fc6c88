package io.baton.it.jobs;

import io.baton.api.StreamEnvironment;
import io.baton.api.connectors.GeneratorSource;

/**
 * An endless, slow job named by its first argument, for pages that show job names: a name is user
 * input, and a page must show it as text whatever it holds. Reuses {@link SchedulingJob}'s source,
 * map and sink (a jar holding it holds those too).
 */
public final class NamedJob {
  private NamedJob() {}

  public static void main(String[] args) throws Exception {
    StreamEnvironment env = StreamEnvironment.getEnvironment();
    env.fromSource(
            new GeneratorSource<>(
                new SchedulingJob.Identity(),
                GeneratorSource.UNBOUNDED,
                10.0 * env.getParallelism()),
            "numbers")
        .map(new SchedulingJob.PassOn())
        .name("pass-on")
        .sinkTo(new SchedulingJob.Discard())
        .name("discard");
    env.execute(args.length > 0 ? args[0] : "named");
  }
}
