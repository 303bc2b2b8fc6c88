package io.baton.examples;

import io.baton.api.StreamEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The examples' entry point: {@code wordcount} and {@code ledger} jobs, run by a Baton submission
 * ({@code bin/baton run baton-examples.jar ledger ...}), and {@code ledger --verify}, which checks
 * a ledger job's output on the local machine with no cluster.
 */
public final class Examples {
  static final String USAGE =
      "usage: baton-examples.jar wordcount|ledger [options]  (see each example's usage)";

  private final Supplier<StreamEnvironment> environments;
  private final PrintStream out;
  private final PrintStream err;
  private String lastProblem;

  /**
   * @param environments the environment a job is defined on; {@code
   *     StreamEnvironment::getEnvironment} when run by a submission
   */
  Examples(Supplier<StreamEnvironment> environments, PrintStream out, PrintStream err) {
    this.environments = environments;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) throws Exception {
    boolean submitted = runsInSubmission();
    Examples examples = new Examples(StreamEnvironment::getEnvironment, System.out, System.err);
    int code = examples.run(args);
    if (code != 0) {
      if (submitted) {
        // exiting would take the JobManager that runs this main down with it
        throw new IllegalArgumentException(examples.lastProblem);
      }
      System.exit(code);
    }
  }

  /**
   * Runs the example named by {@code args[0]}.
   *
   * @return 0 on success; 1 for bad arguments, no cluster, or (for --verify) wrong output
   */
  int run(String[] args) throws Exception {
    if (args.length == 0) {
      return usageError("no example named", USAGE);
    }
    String[] options = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "wordcount":
        return runJob(options, WordCount.USAGE, WordCount::run);
      case "ledger":
        if (Arrays.asList(options).contains("--verify")) {
          return verifyLedger(options);
        }
        return runJob(options, Ledger.USAGE, Ledger::run);
      default:
        return usageError("unknown example '" + args[0] + "'", USAGE);
    }
  }

  private interface Job {
    void run(String[] options, StreamEnvironment env) throws Exception;
  }

  private int runJob(String[] options, String usage, Job job) throws Exception {
    StreamEnvironment env;
    try {
      env = environments.get();
    } catch (IllegalStateException noCluster) {
      lastProblem = noCluster.getMessage();
      err.println(lastProblem);
      return 1;
    }
    try {
      job.run(options, env);
      return 0;
    } catch (UsageException e) {
      return usageError(e.getMessage(), usage);
    }
  }

  private int verifyLedger(String[] options) throws IOException {
    try {
      Arguments arguments = Arguments.parse(options, Set.of("verify", "events", "keys"));
      Path directory = Path.of(arguments.string("verify"));
      int events = (int) arguments.number("events", 0, Integer.MAX_VALUE);
      int keys = (int) arguments.number("keys", 1, Integer.MAX_VALUE);
      if (!Files.isDirectory(directory)) {
        throw new UsageException("output directory '" + directory + "' does not exist");
      }
      LedgerVerifier.Result result = new LedgerVerifier(events, keys).verify(directory);
      result.report().forEach(out::println);
      out.flush();
      if (!result.ok()) {
        lastProblem = String.join("; ", result.report());
        return 1;
      }
      return 0;
    } catch (UsageException e) {
      return usageError(e.getMessage(), Ledger.USAGE);
    }
  }

  private int usageError(String problem, String usage) {
    lastProblem = problem;
    err.println(problem);
    err.println(usage);
    return 1;
  }

  private static boolean runsInSubmission() {
    try {
      StreamEnvironment.getEnvironment();
      return true;
    } catch (IllegalStateException notSubmitted) {
      return false;
    }
  }
}
