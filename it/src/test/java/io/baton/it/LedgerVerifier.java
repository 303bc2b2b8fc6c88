package io.baton.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Ledger verifier as a user would: {@code java -jar baton-examples.jar ledger --verify}.
 */
final class LedgerVerifier {
  private LedgerVerifier() {}

  /** The verifier's output and exit code. */
  record Result(int exitCode, String output) {}

  /** Asserts that the output holds every event exactly once with the right running sums. */
  static void assertExactlyOnce(Path outputDir, long events, int keys)
      throws IOException, InterruptedException {
    Result result = verify(outputDir, events, keys);
    org.assertj.core.api.Assertions.assertThat(result.output()).isEqualTo("lost=0 duplicated=0");
    org.assertj.core.api.Assertions.assertThat(result.exitCode()).isZero();
  }

  static Result verify(Path outputDir, long events, int keys)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    TestJars.examplesJar().toString(),
                    "ledger",
                    "--verify",
                    outputDir.toString(),
                    "--events",
                    Long.toString(events),
                    "--keys",
                    Integer.toString(keys)))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes()).trim();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("ledger --verify did not finish within 120 s");
    }
    return new Result(p.exitValue(), output);
  }
}
