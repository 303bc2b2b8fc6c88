package io.baton.it.jobs;

import io.baton.api.StreamEnvironment;
import io.baton.api.connectors.GeneratorSource;
import io.baton.api.functions.MapFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An endless job whose map function calls System.exit(7) on its TaskManager after some records,
 * having first written the wall-clock time of the call to a marker file. Its jar needs {@link
 * SchedulingJob}'s classes too.
 *
 * <pre>
 * --marker PATH   the marker file (required)
 * --after N       records the map passes on before it exits (default 1000)
 * </pre>
 */
public final class ExitingMapJob {
  private ExitingMapJob() {}

  public static void main(String[] args) throws Exception {
    String marker = null;
    long after = 1000;
    for (int i = 0; i + 1 < args.length; i++) {
      switch (args[i]) {
        case "--marker" -> marker = args[i + 1];
        case "--after" -> after = Long.parseLong(args[i + 1]);
        default -> {}
      }
    }
    if (marker == null) {
      throw new IllegalArgumentException("--marker PATH is required");
    }
    StreamEnvironment env = StreamEnvironment.getEnvironment();
    env.fromSource(
            new GeneratorSource<>(new SchedulingJob.Identity(), GeneratorSource.UNBOUNDED, 2000),
            "numbers")
        .map(new ExitAfter(marker, after))
        .name("exit-after")
        .sinkTo(new SchedulingJob.Discard())
        .name("discard");
    env.execute("exiting map");
  }

  /** Passes records on, then ends the JVM. */
  static final class ExitAfter implements MapFunction<Long, Long> {
    private final String marker;
    private final long after;
    private long seen;

    ExitAfter(String marker, long after) {
      this.marker = marker;
      this.after = after;
    }

    @Override
    public Long map(Long value) {
      if (++seen == after) {
        try {
          Files.writeString(Path.of(marker), Long.toString(System.currentTimeMillis()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        System.exit(7);
      }
      return value;
    }
  }
}
