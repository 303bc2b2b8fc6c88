package io.baton.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/baton}: runs, lists and cancels jobs through the JobManager's REST API.
 *
 * <p>Exit codes: 0 on success, 1 on any failure, usage errors included (one line on stderr,
 * prefixed "baton: ").
 */
public final class BatonCli {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final Duration pollInterval;
  private final Clock clock;

  /**
   * @param env the process environment (BATON_CONF_DIR)
   * @param pollInterval how often {@code run} asks for its job's progress
   */
  public BatonCli(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      Duration pollInterval,
      Clock clock) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  public static void main(String[] args) {
    quietZooKeeperClient();
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
    int exitCode =
        new BatonCli(out, err, System.getenv(), Duration.ofMillis(500), Clock.systemUTC())
            .execute(args);
    System.exit(exitCode);
  }

  /**
   * The CLI says in one line why it cannot reach ZooKeeper or find a leader; the ZooKeeper client's
   * own reconnect warnings (a stack trace a second) would bury that line.
   */
  private static void quietZooKeeperClient() {
    Configurator.setLevel("org.apache.zookeeper", Level.ERROR);
    Configurator.setLevel("org.apache.curator", Level.ERROR);
  }

  /** Runs one command line; returns its exit code. */
  public int execute(String... args) {
    CliContext context = new CliContext(out, env, pollInterval, clock);
    CommandLine cli =
        new CommandLine(new Baton())
            .addSubcommand(new RunCommand(context))
            .addSubcommand(new ListCommand(context))
            .addSubcommand(new CancelCommand(context))
            .addSubcommand(new SavepointCommand(context))
            .addSubcommand(new InfoCommand(context))
            .addSubcommand(new RunApplicationCommand(context));
    // everything after the jar belongs to the job's main(), options included
    cli.getSubcommands().get("run").setStopAtPositional(true);
    cli.getSubcommands().get("run-application").setStopAtPositional(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, badArgs) -> {
          err.println(
              "baton: "
                  + RestClient.firstLine(e.getMessage())
                  + " (see '"
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          return 1;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("baton: " + message(e));
          return 1;
        });
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static String message(Exception e) {
    if (e instanceof CliException) {
      return e.getMessage();
    }
    if (e instanceof InterruptedException) {
      return "interrupted";
    }
    String message = RestClient.firstLine(e.getMessage());
    return message.isEmpty() ? e.getClass().getName() : e.getClass().getName() + ": " + message;
  }

  /** The top-level command: without a subcommand it shows the usage. */
  @Command(
      name = "baton",
      mixinStandardHelpOptions = true,
      description = "Runs, lists and cancels jobs on a Baton cluster.")
  static final class Baton implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return 1;
    }
  }
}
