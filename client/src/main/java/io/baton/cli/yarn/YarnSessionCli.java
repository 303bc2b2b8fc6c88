package io.baton.cli.yarn;

import io.baton.common.config.ErrorLines;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/yarn-session.sh}: {@code -d} deploys a session to the YARN cluster of {@code
 * $HADOOP_CONF_DIR} and prints its application id and REST URL; {@code --stop <appId>} ends one for
 * good (its jobs cancelled, its containers, staging files and HA data gone; killed through YARN
 * when its JobManager does not end it in time). Failures are one line on stderr ({@code baton
 * yarn-session: ...}) and exit code 1.
 */
@Command(
    name = "yarn-session",
    description = "Deploys a Baton session to YARN, or stops one.",
    mixinStandardHelpOptions = true)
public final class YarnSessionCli implements Callable<Integer> {
  static final String PREFIX = "baton yarn-session: ";

  @Option(
      names = {"-d", "--detached"},
      description = "Deploy a session, print its application id and REST URL, and return.")
  boolean detached;

  @Option(names = "--stop", paramLabel = "APP_ID", description = "Stop the session APP_ID.")
  String stop;

  @Mixin Distribution distribution;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "How long the session may take to answer (default: 180)")
  long timeoutSeconds = 180;

  private final PrintWriter out;
  private final Map<String, String> env;
  private final org.apache.hadoop.conf.Configuration hadoopConf;

  /**
   * @param hadoopConf the YARN cluster's client configuration
   */
  public YarnSessionCli(
      PrintWriter out, Map<String, String> env, org.apache.hadoop.conf.Configuration hadoopConf) {
    this.out = out;
    this.env = env;
    this.hadoopConf = hadoopConf;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(
        execute(new YarnSessionCli(out, System.getenv(), new YarnConfiguration()), err, args));
  }

  /** Runs one command line; returns its exit code. */
  public static int execute(YarnSessionCli cli, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setOut(cli.out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (ex, ignored) -> {
          err.println(PREFIX + ex.getMessage());
          return 1;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          err.println(PREFIX + ErrorLines.firstLine(ex));
          return 1;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (stop == null && !detached) {
      throw new YarnDeploymentException(
          "say -d to deploy a detached session or --stop <appId> to end one");
    }
    try (YarnSessionDeployer deployer =
        new YarnSessionDeployer(hadoopConf, Duration.ofSeconds(timeoutSeconds))) {
      if (stop != null) {
        out.println(deployer.stop(stop));
        return 0;
      }
      YarnSession session =
          deployer.deploy(distribution.lib(env), distribution.conf(env), distribution.overrides());
      out.println("Application id: " + session.applicationId());
      out.println("REST: " + session.restUrl());
      out.println("Stop it with: bin/yarn-session.sh --stop " + session.applicationId());
      return 0;
    }
  }
}
