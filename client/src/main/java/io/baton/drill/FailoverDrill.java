package io.baton.drill;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/failover-drill.sh}: rehearses failovers on the HA cluster of conf/ while the Ledger
 * example runs, and says whether the job came through exactly once. See {@code --help}.
 */
@Command(
    name = "failover-drill.sh",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Rehearses failovers on the HA cluster described by conf/ (BATON_CONF_DIR): submits the"
          + " Ledger example (examples/target/baton-examples.jar) detached, a checkpoint every"
          + " second, then injects --kills faults one after another, starting again whatever it"
          + " killed through its script in bin/ so the cluster keeps its shape. It waits for the job to finish and verifies its output"
          + " (ledger --verify).",
      "",
      "It prints one row per fault: what was hit (target, signal, pid, address), the leader"
          + " before and after, detection_ms (the new leader's leaderSince in GET /ha minus the"
          + " time of the fault; '-' when the leadership did not change), recovery_ms (the fault"
          + " until every task of the job is RUNNING again under a leader, from the subtasks'"
          + " RUNNING times in GET /jobs/{id}/vertices/{v}/subtasktimes, or until the new leader"
          + " adopted the running tasks) and the checkpoint the job restored from, or"
          + " 'reconciled' when the new leader adopted its running tasks (reconciliations in GET"
          + " /jobs/{id} went up) and no task restarted. A fault that does not disturb the job (a standby, a TaskManager"
          + " without tasks, sometimes ZooKeeper) shows 'no failover': it counts as recovered when"
          + " the job keeps running, and not in the failover times. Then one line:",
      "",
      "  drill: faults=<n> recovered=<n> lost=<n> duplicated=<n> failover_ms_median=<n>"
          + " failover_ms_max=<n>",
      "",
      "Exit status 0 only when every fault was recovered, the job finished and its output has"
          + " lost=0 duplicated=0; 1 otherwise, and on a bad option (one line naming it).",
      ""
    },
    footer = {
      "",
      "What to expect: a killed or paused leader is replaced only once its ZooKeeper session"
          + " expired (high-availability.zookeeper.client.session-timeout, 60 s by default), a"
          + " SIGTERMed one within a second or two, its running tasks left for the new leader to"
          + " adopt (the row says 'reconciled' with jobmanager.failover.reconcile, the default);"
          + " a killed TaskManager is noticed when its"
          + " connections break or after heartbeat.timeout (50 s by default). With the shipped"
          + " conf/ and --signal KILL plan for about one to two minutes per fault. Without"
          + " --events the job is sized from these timeouts, --interval and --rate so that it"
          + " outlasts all faults.",
      "",
      "Ctrl-C (or SIGTERM) ends the drill cleanly: a paused process is resumed, a killed one"
          + " started again, and the cluster stopped only if --start started it. The output of"
          + " the bin/ scripts the drill runs goes to <log dir>/failover-drill.log."
    })
public final class FailoverDrill implements Callable<Integer> {

  @Option(
      names = "--kills",
      paramLabel = "N",
      defaultValue = "3",
      description = "Faults to inject, one after another (default: ${DEFAULT-VALUE}).")
  String kills;

  @Option(
      names = "--target",
      paramLabel = "leader|standby|taskmanager|zookeeper|random",
      defaultValue = "leader",
      description = {
        "What each fault hits (default: ${DEFAULT-VALUE}): the leading JobManager (GET /ha), a"
            + " standby JobManager, a TaskManager (one running tasks of the job when there is"
            + " one), the embedded ZooKeeper server (only with"
            + " high-availability.zookeeper.quorum: embedded), or for random a choice among those"
            + " this cluster has, drawn anew for every fault."
      })
  String target;

  @Option(
      names = "--signal",
      paramLabel = "KILL|TERM|STOP",
      defaultValue = "KILL",
      description = {
        "How it is hit (default: ${DEFAULT-VALUE}): KILL crashes it, TERM stops it gracefully"
            + " (a leader hands over at once); both start it again right away. STOP pauses it"
            + " past the ZooKeeper session timeout (past heartbeat.timeout for a TaskManager), 5 s"
            + " more, then resumes it with SIGCONT."
      })
  String signal;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "Seconds between a fault's recovery and the next fault, for checkpoints under the new"
              + " leader (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(
      names = "--events",
      paramLabel = "N",
      description =
          "Events of the Ledger job (default: enough for the job to outlast every fault at"
              + " --rate, from the timeouts above). The drill stops early, exit 1, when the job"
              + " finishes before the last fault.")
  String events;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      defaultValue = "500",
      description = "Events per second of the Ledger job (default: ${DEFAULT-VALUE}).")
  String rate;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Seed of the random choices (--target random, which standby or TaskManager), so a"
              + " drill can be repeated (default: 0).")
  String seed;

  @Option(
      names = "--start",
      description =
          "Start the cluster of conf/ with bin/start-cluster.sh if none of its JobManagers"
              + " answers, and stop it (bin/stop-cluster.sh) when the drill ends.")
  boolean start;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  private final Map<String, String> env;
  private final PrintWriter out;

  FailoverDrill(Map<String, String> env, PrintWriter out) {
    this.env = env;
    this.out = out;
  }

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true);
    System.exit(execute(System.getenv(), out, err, args));
  }

  /** Runs the drill with {@code args}; returns the exit status. */
  static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new FailoverDrill(env, out));
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("failover-drill: " + firstLine(e.getMessage()));
          return 1;
        });
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          err.println("failover-drill: " + firstLine(e.getMessage()));
          return 1;
        });
    return cli.execute(args);
  }

  /** The options, validated; one line naming the first bad one. */
  DrillOptions options() {
    try {
      return DrillOptions.parse(kills, target, signal, interval, events, rate, seed, start);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    DrillOptions options = options();
    Installation installation = Installation.fromEnvironment(env);
    ClusterLayout layout = ClusterLayout.read(installation.confDir());
    BinScripts scripts =
        new BinScripts(installation, installation.logDir().resolve("failover-drill.log"));
    Repairs repairs = new Repairs();
    AtomicBoolean clusterStarted = new AtomicBoolean();
    AtomicBoolean cleanedUp = new AtomicBoolean();
    Runnable cleanUp =
        () -> {
          if (!cleanedUp.compareAndSet(false, true)) {
            return;
          }
          repairs.settleAll(out);
          if (clusterStarted.get()) {
            out.println("==> Stopping the cluster the drill started (bin/stop-cluster.sh)");
            out.flush();
            try {
              scripts.run(Duration.ofMinutes(5), "stop-cluster.sh");
            } catch (DrillException e) {
              out.println("failover-drill: " + e.getMessage());
            }
          }
          out.flush();
        };
    Thread hook = new Thread(cleanUp, "failover-drill-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return new DrillRun(
              options,
              installation,
              layout,
              scripts,
              repairs,
              Poller.system(),
              out,
              () -> clusterStarted.set(true))
          .run();
    } finally {
      cleanUp.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs already (Ctrl-C) and finds everything done
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "unexpected error";
    }
    return message.lines().findFirst().orElse(message).trim();
  }
}
