package io.baton.coordinator.resourcemanager.process;

import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.resourcemanager.WorkerDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code resourcemanager.driver: process}: TaskManagers are JVMs this JobManager starts on its own
 * host (one machine, and tests). Launching and stopping run on one thread of the driver's own; a
 * released worker gets SIGTERM, and SIGKILL if it still runs after the grace period. The workers
 * are the JobManager's: when it stops they stop with it (a killed JobManager leaves them to
 * register with the next leader, which does not manage them).
 */
public final class ProcessWorkerDriver implements WorkerDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessWorkerDriver.class);

  private final WorkerLaunch launch;
  private final int jobManagerRpcPort;
  private final Duration stopGrace;
  private final ScheduledExecutorService launcher;
  private final Map<TaskManagerId, Process> processes = new ConcurrentHashMap<>();
  private volatile Listener listener = (id, diagnostics) -> {};

  /**
   * @param jobManagerRpcPort the port this JobManager's RPC server is bound to
   * @param stopGrace how long a released worker may take to stop after SIGTERM
   */
  public ProcessWorkerDriver(WorkerLaunch launch, int jobManagerRpcPort, Duration stopGrace) {
    this.launch = launch;
    this.jobManagerRpcPort = jobManagerRpcPort;
    this.stopGrace = stopGrace;
    this.launcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "baton-worker-launcher");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public boolean isActive() {
    return true;
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
  }

  @Override
  public CompletableFuture<Void> startWorker(TaskManagerId id) {
    return CompletableFuture.runAsync(() -> launch(id), launcher);
  }

  private void launch(TaskManagerId id) {
    Process process;
    try {
      process = launch.start(id, jobManagerRpcPort);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start a TaskManager JVM (" + launch.java() + "): " + e.getMessage(), e);
    }
    processes.put(id, process);
    LOG.info(
        "Started TaskManager {} as process {}; log: {}", id, process.pid(), launch.logFile(id));
    process
        .onExit()
        .thenAcceptAsync(
            ended -> {
              processes.remove(id, ended);
              deleteConfigDir(id);
              String diagnostics = "process " + ended.pid() + " exit code " + ended.exitValue();
              LOG.info("TaskManager {} ended: {}; log: {}", id, diagnostics, launch.logFile(id));
              listener.workerEnded(id, diagnostics);
            },
            launcher);
  }

  @Override
  public void releaseWorker(TaskManagerId id) {
    Process process = processes.remove(id);
    if (process == null || !process.isAlive()) {
      return;
    }
    LOG.info("Stopping TaskManager {} (process {})", id, process.pid());
    process.destroy();
    launcher.schedule(
        () -> {
          if (process.isAlive()) {
            LOG.warn(
                "TaskManager {} (process {}) still runs {} ms after SIGTERM; killing it",
                id,
                process.pid(),
                stopGrace.toMillis());
            process.destroyForcibly();
          }
        },
        stopGrace.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close(Duration timeout) {
    List<Process> running = new ArrayList<>(processes.values());
    processes.clear();
    listener = (id, diagnostics) -> {};
    running.forEach(Process::destroy);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Process p : running) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    if (!running.isEmpty()) {
      LOG.info("Stopped the {} TaskManagers this JobManager started", running.size());
    }
    launcher.shutdownNow();
    deleteRecursively(launch.configRoot());
  }

  private void deleteConfigDir(TaskManagerId id) {
    deleteRecursively(launch.configRoot().resolve("worker-" + id.value()));
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", dir, e.toString());
    }
  }

  @Override
  public String toString() {
    return "process";
  }
}
