package io.baton.drill;

import io.baton.cli.BatonCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drill's job: the Ledger example of examples/target/baton-examples.jar, submitted detached
 * with {@code bin/baton run -d} (the CLI, in this JVM) and checked afterwards with {@code ledger
 * --verify}, which counts lost and duplicated events.
 */
final class LedgerRun {
  static final int KEYS = 100;
  static final long CHECKPOINT_INTERVAL_MS = 1000;
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Pattern COUNTS = Pattern.compile("lost=([0-9]+) duplicated=([0-9]+)");

  private final Path examplesJar;
  private final long events;
  private final long rate;
  private final Path output;

  LedgerRun(Path examplesJar, long events, long rate, Path output) {
    this.examplesJar = examplesJar;
    this.events = events;
    this.rate = rate;
    this.output = output;
  }

  /** Submits the job to the leader at {@code leaderRestUrl}; returns its id. */
  String submit(String leaderRestUrl, int parallelism) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new BatonCli(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of(),
                Duration.ofMillis(500),
                Clock.systemUTC())
            .execute(
                "run",
                "-d",
                "--jobmanager=" + leaderRestUrl.replaceFirst("^https?://", ""),
                "-p",
                Integer.toString(parallelism),
                examplesJar.toString(),
                "ledger",
                "--events",
                Long.toString(events),
                "--keys",
                Integer.toString(KEYS),
                "--rate",
                Long.toString(rate),
                "--checkpoint-interval",
                Long.toString(CHECKPOINT_INTERVAL_MS),
                "--output",
                output.toString());
    Matcher m = JOB_ID.matcher(out.toString());
    if (code != 0 || !m.find()) {
      String why = (err + " " + out).trim();
      throw new DrillException(
          "the Ledger job was not submitted: " + why.lines().findFirst().orElse("no answer"));
    }
    return m.group(1);
  }

  /** What {@code ledger --verify} found: the counts, every line it printed, its exit code. */
  record Verification(long lost, long duplicated, List<String> lines, int exitCode) {
    boolean ok() {
      return exitCode == 0 && lost == 0 && duplicated == 0;
    }
  }

  /** Runs {@code java -jar baton-examples.jar ledger --verify <output> ...}. */
  Verification verify() {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            java,
            "-Xmx512m",
            "-jar",
            examplesJar.toString(),
            "ledger",
            "--verify",
            output.toString(),
            "--events",
            Long.toString(events),
            "--keys",
            Integer.toString(KEYS));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (var reader = p.inputReader()) {
        reader.lines().forEach(lines::add);
      }
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new DrillException("ledger --verify did not end within 5 minutes");
      }
      for (String line : lines) {
        Matcher m = COUNTS.matcher(line);
        if (m.find()) {
          return new Verification(
              Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), lines, p.exitValue());
        }
      }
      // no counts: say nothing arrived rather than pretend something did
      return new Verification(events, 0, lines, p.exitValue() == 0 ? 1 : p.exitValue());
    } catch (IOException e) {
      throw new DrillException("cannot run ledger --verify: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillException("interrupted while verifying", e);
    }
  }
}
