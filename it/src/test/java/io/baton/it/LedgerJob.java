package io.baton.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the examples' Ledger job: its program arguments, and the verdict a user gets from
 * {@code ledger --verify} on its output.
 */
record LedgerJob(long events, int keys, int rate, int checkpointIntervalMs, Path output) {

  /** The arguments of {@code baton run baton-examples.jar ledger ...}. */
  String[] args() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ledger",
                "--events",
                Long.toString(events),
                "--keys",
                Integer.toString(keys),
                "--rate",
                Integer.toString(rate),
                "--output",
                output.toString()));
    if (checkpointIntervalMs > 0) {
      args.addAll(List.of("--checkpoint-interval", Integer.toString(checkpointIntervalMs)));
    }
    return args.toArray(String[]::new);
  }

  /** Submits it to {@code rest} at {@code parallelism}; returns the job id. */
  String submit(RestApi rest, int parallelism) throws java.io.IOException {
    return rest.submit(TestJars.examplesJar(), parallelism, args());
  }

  /** Asserts {@code lost=0 duplicated=0}. */
  void assertExactlyOnce() throws Exception {
    LedgerVerifier.assertExactlyOnce(output, events, keys);
  }
}
