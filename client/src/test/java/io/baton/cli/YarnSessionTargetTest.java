package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code -t}: a target other than yarn-session, or a session without application id, is one line;
 * so are {@code run-application} on another target and of a missing jar.
 */
class YarnSessionTargetTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int cli(String... args) {
    return new BatonCli(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of(),
            Duration.ofMillis(10),
            Clock.systemUTC())
        .execute(args);
  }

  @Test
  void anUnknownTargetIsOneLine() {
    assertThat(cli("list", "-t", "kubernetes-session")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: -t expects yarn-session, got 'kubernetes-session'\n");
  }

  @Test
  void aYarnSessionWithoutApplicationIdIsOneLine() {
    assertThat(cli("list", "-t", "yarn-session")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: -t yarn-session needs -Dyarn.application.id=<appId>\n");
  }

  @Test
  void aMalformedApplicationIdIsOneLine() {
    assertThat(cli("list", "-t", "yarn-session", "-Dyarn.application.id=app42")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: 'app42' is no YARN application id (application_<timestamp>_<n>)\n");
  }

  @Test
  void runApplicationOnAnotherTargetIsOneLine() {
    assertThat(cli("run-application", "-t", "yarn-session", "job.jar")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: -t expects yarn-application, got 'yarn-session'\n");
  }

  @Test
  void runApplicationOfAMissingJarIsOneLine() {
    assertThat(cli("run-application", "-t", "yarn-application", "no-such.jar", "--input", "x"))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("baton: jar file no-such.jar does not exist\n");
  }
}
