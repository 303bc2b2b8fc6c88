package io.baton.coordinator.rest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What a {@link RestServer} takes besides its configuration and collaborators; {@link #defaults()}
 * is what a JobManager runs with, and each {@code with...} changes one of them.
 *
 * @param clock for "now" in job details and the time zone in {@code /config}
 * @param dispatcherTimeout how long a request waits for the dispatcher
 * @param haStatus who leads, for {@code GET /ha} and to answer for a standby; null: this JobManager
 *     always leads (mode {@code none})
 * @param logFile this JobManager's log file, served under {@code /jobmanager/log}; empty when it
 *     logs to its console only
 * @param shutdown what {@code DELETE /cluster} asks for; null: the route answers 405
 */
public record RestServerOptions(
    Clock clock,
    Duration dispatcherTimeout,
    HaStatus.Source haStatus,
    Optional<Path> logFile,
    ClusterShutdown shutdown) {

  /** How long a request waits for the dispatcher's answer unless told otherwise. */
  public static final Duration DEFAULT_DISPATCHER_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The system clock, a 10 s dispatcher timeout, always leading, no {@code DELETE /cluster}, and
   * the log file bin/jobmanager.sh names in {@code baton.log.file} (its directory holds the .out
   * file and other logs).
   */
  public static RestServerOptions defaults() {
    return new RestServerOptions(
        Clock.systemDefaultZone(),
        DEFAULT_DISPATCHER_TIMEOUT,
        null,
        Optional.ofNullable(System.getProperty("baton.log.file")).map(Path::of),
        null);
  }

  public RestServerOptions withClock(Clock clock) {
    return new RestServerOptions(clock, dispatcherTimeout, haStatus, logFile, shutdown);
  }

  public RestServerOptions withDispatcherTimeout(Duration dispatcherTimeout) {
    return new RestServerOptions(clock, dispatcherTimeout, haStatus, logFile, shutdown);
  }

  public RestServerOptions withHaStatus(HaStatus.Source haStatus) {
    return new RestServerOptions(clock, dispatcherTimeout, haStatus, logFile, shutdown);
  }

  public RestServerOptions withLogFile(Optional<Path> logFile) {
    return new RestServerOptions(clock, dispatcherTimeout, haStatus, logFile, shutdown);
  }

  public RestServerOptions withShutdown(ClusterShutdown shutdown) {
    return new RestServerOptions(clock, dispatcherTimeout, haStatus, logFile, shutdown);
  }
}
