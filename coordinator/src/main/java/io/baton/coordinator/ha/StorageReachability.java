package io.baton.coordinator.ha;

import io.baton.coordinator.rest.HaHealth;
import io.baton.storage.FileStores;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the HA storage directory answers: every {@code interval} its listing is asked for on an
 * I/O thread and awaited at most {@code timeout} on the check's own thread, so neither a main
 * thread nor a REST request ever waits on storage. REST reads the last result.
 */
public final class StorageReachability implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageReachability.class);

  private final FileStores fileStores;
  private final URI directory;
  private final ScheduledExecutorService checkThread;
  private final ExecutorService io;
  private final Clock clock;
  private final Duration interval;
  private final Duration timeout;
  // written by the check's thread, read by REST threads
  private volatile HaHealth.Storage last;

  /**
   * @param checkThread the check's own thread, shut down by {@link #close()}
   * @param io where the listing runs; shut down by {@link #close()}
   */
  public StorageReachability(
      FileStores fileStores,
      URI directory,
      ScheduledExecutorService checkThread,
      ExecutorService io,
      Clock clock,
      Duration interval,
      Duration timeout) {
    this.fileStores = fileStores;
    this.directory = directory;
    this.checkThread = checkThread;
    this.io = io;
    this.clock = clock;
    this.interval = interval;
    this.timeout = timeout;
    this.last =
        new HaHealth.Storage(directory.toString(), "UNCHECKED", null, null, clock.millis(), null);
  }

  /** Checks now, then every interval. */
  public void start() {
    checkThread.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last result. */
  public HaHealth.Storage current() {
    return last;
  }

  private void check() {
    long start = clock.millis();
    String error = null;
    Future<?> listing = null;
    try {
      listing = io.submit(() -> fileStores.forUri(directory).list(directory));
      listing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      listing.cancel(true);
      error = "no answer within " + timeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      error = oneLine(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      error = oneLine(e);
    }
    long now = clock.millis();
    HaHealth.Storage before = last;
    String state = error == null ? "REACHABLE" : "UNREACHABLE";
    long since = state.equals(before.state()) ? before.since() : now;
    last =
        new HaHealth.Storage(
            directory.toString(), state, error == null ? now - start : null, error, since, now);
    if (error != null && !state.equals(before.state())) {
      LOG.warn(
          "HA storage {} is unreachable: {}; checking again every {} ms (the HA console shows it)",
          directory,
          error,
          interval.toMillis());
    } else if (error == null && "UNREACHABLE".equals(before.state())) {
      LOG.info("HA storage {} is reachable again ({} ms)", directory, now - start);
    }
  }

  private static String oneLine(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    String first = message.lines().findFirst().orElse(message);
    return failure.getClass().getSimpleName() + ": " + first;
  }

  @Override
  public void close() {
    checkThread.shutdownNow();
    io.shutdownNow();
  }
}
