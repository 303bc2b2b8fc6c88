package io.baton.coordinator;

import io.baton.common.config.ConfigDirectory;
import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.KnownOptions;
import io.baton.common.io.Closeables;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.rpc.PortInUseException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/jobmanager.sh}: loads {@code <configDir>/baton-conf.yaml} with {@code -Dkey=value}
 * overrides and runs a JobManager until the process is stopped. A bad configuration or a taken port
 * ends it with one line on stderr ({@code baton jobmanager: <what is wrong>}) and exit code 1.
 */
@Command(
    name = "jobmanager",
    description = "Runs a Baton JobManager.",
    mixinStandardHelpOptions = true)
public final class JobManagerEntrypoint implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(JobManagerEntrypoint.class);
  static final String PREFIX = "baton jobmanager: ";

  /** Creates the JobManager's blob store from the configuration. */
  @FunctionalInterface
  public interface BlobStoreFactory {
    BlobStore create(Configuration config) throws Exception;
  }

  @Option(
      names = "--configDir",
      paramLabel = "DIR",
      description = "Directory with baton-conf.yaml (default: $BATON_CONF_DIR or ./conf).")
  private Path configDir;

  @Option(names = "-D", paramLabel = "key=value", description = "Overrides a configuration key.")
  private Map<String, String> dynamicProperties = new LinkedHashMap<>();

  private final PrintStream err;
  private final Map<String, String> environment;
  private final BlobStoreFactory blobStores;
  private final RestEndpoint.Factory restEndpoints;
  private JobManager jobManager;

  JobManagerEntrypoint(
      PrintStream err,
      Map<String, String> environment,
      BlobStoreFactory blobStores,
      RestEndpoint.Factory restEndpoints) {
    this.err = err;
    this.environment = environment;
    this.blobStores = blobStores;
    this.restEndpoints = restEndpoints;
  }

  public static void main(String[] args) throws InterruptedException {
    JobManagerEntrypoint entrypoint =
        new JobManagerEntrypoint(
            System.err,
            System.getenv(),
            JobManagerEntrypoint::defaultBlobStore,
            RestEndpoint.restServer());
    int code = entrypoint.run(args);
    if (code != 0) {
      System.exit(code);
    }
    if (entrypoint.jobManager() == null) {
      // --help or --version: printed, nothing started
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  entrypoint.jobManager().close();
                  stopped.countDown();
                },
                "baton-jobmanager-shutdown"));
    stopped.await();
  }

  /**
   * Parses the arguments and starts the JobManager.
   *
   * @return 0 when it runs (see {@link #jobManager()}), 1 after printing one line naming the
   *     problem
   */
  int run(String... args) {
    CommandLine commandLine = new CommandLine(this);
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setParameterExceptionHandler(
        (ex, ignored) -> {
          err.println(PREFIX + ex.getMessage());
          return 1;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          LOG.error("JobManager failed to start", ex);
          err.println(PREFIX + ErrorLines.firstLine(ex));
          return 1;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Configuration config;
    try {
      config =
          new ConfigurationLoader(KnownOptions.baton()).load(resolveConfigDir(), dynamicProperties);
    } catch (IllegalConfigurationException e) {
      err.println(PREFIX + e.getMessage());
      return 1;
    }
    BlobStore blobStore = null;
    try {
      blobStore = blobStores.create(config);
      jobManager = JobManager.builder(config, blobStore).restEndpoint(restEndpoints).start();
      return 0;
    } catch (IllegalConfigurationException | PortInUseException e) {
      Closeables.closeQuietly(blobStore, LOG, "the jar store");
      err.println(PREFIX + e.getMessage());
      return 1;
    } catch (Exception e) {
      Closeables.closeQuietly(blobStore, LOG, "the jar store");
      throw e;
    }
  }

  /** The running JobManager after {@link #run} returned 0. */
  JobManager jobManager() {
    return jobManager;
  }

  private Path resolveConfigDir() {
    return ConfigDirectory.resolve(configDir, environment::get);
  }

  private static BlobStore defaultBlobStore(Configuration config) {
    try {
      return LocalBlobStore.inTmpDirs(config);
    } catch (IOException e) {
      throw new IllegalConfigurationException(
          "cannot create the jar store under io.tmp.dirs: " + e.getMessage(), e);
    }
  }
}
