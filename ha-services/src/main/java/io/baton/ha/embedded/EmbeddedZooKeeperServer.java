package io.baton.ha.embedded;

import io.baton.common.config.ConfigDirectory;
import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.KnownOptions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/zookeeper.sh}: runs the ZooKeeper server of a one-machine HA cluster ({@code
 * high-availability.zookeeper.quorum: embedded}) until the process is stopped.
 *
 * <p>It is a real, standalone ZooKeeper server from the zookeeper artifact, listening on 127.0.0.1
 * only, on the client port {@code high-availability.zookeeper.embedded.port} of {@code
 * <configDir>/baton-conf.yaml} (with {@code -Dkey=value} overrides), keeping its data in {@code
 * --dataDir}. The admin server is off; the four-letter commands {@code ruok}, {@code srvr}, {@code
 * stat} and {@code mntr} answer, so scripts and monitoring can ask it how it is. Once it serves it
 * prints {@code ZooKeeper serving on 127.0.0.1:<port>, data in <dir>} on stdout.
 *
 * <p>A bad configuration, a taken port or a data directory that cannot be written ends it with one
 * line on stderr ({@code baton zookeeper: <what is wrong>}) and exit code 1.
 */
@Command(
    name = "zookeeper",
    description = "Runs the embedded ZooKeeper server of a one-machine Baton HA cluster.",
    mixinStandardHelpOptions = true)
public final class EmbeddedZooKeeperServer implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeperServer.class);
  static final String PREFIX = "baton zookeeper: ";

  @Option(
      names = "--configDir",
      paramLabel = "DIR",
      description = "Directory with baton-conf.yaml (default: $BATON_CONF_DIR or ./conf).")
  private Path configDir;

  @Option(
      names = "--dataDir",
      paramLabel = "DIR",
      required = true,
      description =
          "Where ZooKeeper keeps its snapshots and transaction logs (created if missing).")
  private Path dataDir;

  @Option(names = "-D", paramLabel = "key=value", description = "Overrides a configuration key.")
  private Map<String, String> dynamicProperties = new LinkedHashMap<>();

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;
  private final Duration startTimeout;
  private StandaloneZooKeeperServer server;

  EmbeddedZooKeeperServer(
      PrintStream out, PrintStream err, Map<String, String> environment, Duration startTimeout) {
    this.out = out;
    this.err = err;
    this.environment = environment;
    this.startTimeout = startTimeout;
  }

  public static void main(String[] args) throws InterruptedException {
    EmbeddedZooKeeperServer command =
        new EmbeddedZooKeeperServer(
            System.out, System.err, System.getenv(), Duration.ofSeconds(60));
    int code = command.run(args);
    if (code != 0) {
      System.exit(code);
    }
    StandaloneZooKeeperServer running = command.server();
    if (running == null) {
      return; // --help or --version: printed, nothing started
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "baton-zookeeper-shutdown"));
    try {
      running.awaitTermination();
    } catch (IllegalStateException e) {
      LOG.error("ZooKeeper stopped unexpectedly", e);
      System.err.println(PREFIX + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Parses the arguments and starts the server.
   *
   * @return 0 when it serves (see {@link #server()}), 1 after printing one line naming the problem
   */
  int run(String... args) {
    CommandLine commandLine = new CommandLine(this);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setParameterExceptionHandler(
        (ex, ignored) -> {
          err.println(PREFIX + ex.getMessage());
          return 1;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          LOG.error("ZooKeeper failed to start", ex);
          err.println(PREFIX + ErrorLines.firstLine(ex));
          return 1;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    int port;
    try {
      Configuration config =
          new ConfigurationLoader(KnownOptions.baton()).load(resolveConfigDir(), dynamicProperties);
      port = clientPort(config);
    } catch (IllegalConfigurationException e) {
      err.println(PREFIX + e.getMessage());
      return 1;
    }
    try {
      server =
          StandaloneZooKeeperServer.start(
              InetAddress.getLoopbackAddress(), port, dataDir, startTimeout);
    } catch (ZooKeeperStartException e) {
      LOG.error("ZooKeeper failed to start", e);
      String key = e.portInUse() ? " (" + HighAvailabilityOptions.ZOOKEEPER_PORT.key() + ")" : "";
      err.println(PREFIX + e.getMessage() + key);
      return 1;
    }
    out.println(
        "ZooKeeper serving on " + server.connectString() + ", data in " + dataDir.toAbsolutePath());
    out.flush();
    return 0;
  }

  /** The running server after {@link #run} returned 0; null after --help. */
  StandaloneZooKeeperServer server() {
    return server;
  }

  private static int clientPort(Configuration config) {
    // the option's range admits only port numbers
    return Integer.parseInt(config.get(HighAvailabilityOptions.ZOOKEEPER_PORT).trim());
  }

  private Path resolveConfigDir() {
    return ConfigDirectory.resolve(configDir, environment::get);
  }
}
