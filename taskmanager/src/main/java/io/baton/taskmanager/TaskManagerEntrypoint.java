package io.baton.taskmanager;

import io.baton.common.config.ConfigDirectory;
import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.KnownOptions;
import io.baton.common.config.TaskManagerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskManager process: {@code [--configDir DIR] [-Dkey=value ...]}. Reads {@code
 * DIR/baton-conf.yaml} (DIR defaults to $BATON_CONF_DIR, else ./conf), starts a {@link TaskManager}
 * and runs until it is stopped (SIGTERM) or cannot go on. A bad configuration or a taken port
 * prints one line and exits with 1.
 */
public final class TaskManagerEntrypoint {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerEntrypoint.class);
  private static final String USAGE = "usage: taskmanager [--configDir DIR] [-Dkey=value ...]";

  /** Time on top of task.cancellation.timeout for the RPC server and channels to close. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private TaskManagerEntrypoint() {}

  public static void main(String[] args) {
    int exitCode = run(args, System::getenv, System.err, TaskManager::start);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /**
   * Runs a TaskManager until it stops.
   *
   * @param env the process environment (BATON_CONF_DIR)
   * @param err where the one-line error goes
   * @param starter starts the TaskManager from the loaded configuration
   * @return the process exit code: 0 after a normal stop, 1 when the TaskManager could not start or
   *     could not go on
   */
  static int run(
      String[] args,
      Function<String, String> env,
      PrintStream err,
      Function<Configuration, TaskManager> starter) {
    TaskManager taskManager;
    try {
      Configuration config = loadConfiguration(args, env);
      taskManager = starter.apply(config);
    } catch (IllegalConfigurationException | IllegalArgumentException e) {
      err.println("baton taskmanager: " + e.getMessage());
      return 1;
    } catch (TaskManagerStartupException e) {
      err.println("baton taskmanager: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      LOG.error("TaskManager failed to start", e);
      err.println("baton taskmanager: failed to start: " + e);
      return 1;
    }
    Thread hook =
        new Thread(() -> closeWithin(taskManager), "baton-tm-shutdown-" + taskManager.id());
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      taskManager.terminationFuture().get();
      return 0;
    } catch (ExecutionException e) {
      removeHook(hook);
      err.println("baton taskmanager: " + e.getCause().getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      removeHook(hook);
      taskManager.close();
      return 0;
    }
  }

  static Configuration loadConfiguration(String[] args, Function<String, String> env) {
    Path configDir = null;
    List<String> dynamic = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--configDir") || arg.equals("-c")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a directory; " + USAGE);
        }
        configDir = Path.of(args[++i]);
      } else if (arg.startsWith("--configDir=")) {
        configDir = Path.of(arg.substring("--configDir=".length()));
      } else if (arg.equals("-D")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("-D needs key=value; " + USAGE);
        }
        dynamic.add(args[++i]);
      } else if (arg.startsWith("-D")) {
        dynamic.add(arg);
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
      }
    }
    configDir = ConfigDirectory.resolve(configDir, env);
    Map<String, String> overrides = ConfigurationLoader.parseDynamicProperties(dynamic);
    LOG.info("Loading the configuration from {} with {} override(s)", configDir, overrides.size());
    return new ConfigurationLoader(KnownOptions.baton()).load(configDir, overrides);
  }

  private static void closeWithin(TaskManager taskManager) {
    Duration limit =
        taskManager
            .configuration()
            .get(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT)
            .plus(SHUTDOWN_GRACE);
    LOG.info("Shutting down TaskManager {} (at most {} ms)", taskManager.id(), limit.toMillis());
    try {
      CompletableFuture.runAsync(taskManager::close).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("TaskManager {} did not stop within {} ms; exiting anyway", taskManager.id(), limit);
    } catch (ExecutionException e) {
      LOG.warn("TaskManager {} failed to stop cleanly", taskManager.id(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }
}
