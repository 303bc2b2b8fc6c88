package io.baton.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drill's command line: defaults, values, and one line naming each bad option. */
class DrillOptionsTest {

  /** What one command line printed and returned. */
  record Outcome(int exitCode, String out, String err) {}

  private static Outcome drill(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        FailoverDrill.execute(
            Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void everyOptionIsReadWithAndWithoutItsDefault() {
    DrillOptions defaults =
        DrillOptions.parse("3", "leader", "KILL", "10", null, "500", null, false);
    assertThat(defaults.kills()).isEqualTo(3);
    assertThat(defaults.target()).isEqualTo(FaultTarget.LEADER);
    assertThat(defaults.signal()).isEqualTo(FaultSignal.KILL);
    assertThat(defaults.events()).isNull();
    assertThat(defaults.seed()).isZero();

    DrillOptions given =
        DrillOptions.parse("5", "Random", "sigstop", "2", "40000", "800", "-7", true);
    assertThat(given.kills()).isEqualTo(5);
    assertThat(given.target()).isEqualTo(FaultTarget.RANDOM);
    assertThat(given.signal()).isEqualTo(FaultSignal.STOP);
    assertThat(given.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(given.events()).isEqualTo(40_000L);
    assertThat(given.rate()).isEqualTo(800);
    assertThat(given.seed()).isEqualTo(-7);
    assertThat(given.start()).isTrue();
  }

  @Test
  void badValuesExitOneWithOneLineNamingTheOption() {
    assertOneLine(
        drill("--kills", "many"), "failover-drill: --kills takes a whole number, not 'many'");
    assertOneLine(
        drill("--kills", "0"), "failover-drill: --kills must be between 1 and 10000, not 0");
    assertOneLine(
        drill("--target", "database"),
        "failover-drill: --target takes leader|standby|taskmanager|zookeeper|random, not 'database'");
    assertOneLine(
        drill("--signal", "HUP"), "failover-drill: --signal takes KILL|TERM|STOP, not 'HUP'");
    assertOneLine(
        drill("--interval", "-1"),
        "failover-drill: --interval must be between 0 and 86400, not -1");
    assertOneLine(
        drill("--rate", "0"), "failover-drill: --rate must be between 1 and 10000000, not 0");
    assertOneLine(
        drill("--events", "1e6"), "failover-drill: --events takes a whole number, not '1e6'");
    assertOneLine(drill("--seed", "x"), "failover-drill: --seed takes a whole number, not 'x'");
    assertOneLine(drill("--bogus"), "failover-drill: Unknown option: '--bogus'");
    assertThat(drill("--kills").err()).startsWith("failover-drill: Missing required parameter");
  }

  @Test
  void withoutAnInstallationTheDrillSaysHowToRunIt() {
    assertOneLine(
        drill("--kills", "1"),
        "failover-drill: BATON_HOME is not set: run the drill through bin/failover-drill.sh");
  }

  @Test
  void helpExplainsEveryOptionAndExitsZero() {
    Outcome help = drill("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.err()).isEmpty();
    assertThat(help.out())
        .contains(
            "--kills",
            "--target",
            "--signal",
            "--interval",
            "--events",
            "--rate",
            "--seed",
            "--start",
            "no failover",
            "session timeout",
            "SIGCONT")
        .contains(
            "drill: faults=<n> recovered=<n> lost=<n> duplicated=<n> failover_ms_median=<n>"
                + " failover_ms_max=<n>");
  }

  private static void assertOneLine(Outcome outcome, String line) {
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.out()).isEmpty();
    assertThat(outcome.err()).isEqualTo(line + System.lineSeparator());
  }
}
