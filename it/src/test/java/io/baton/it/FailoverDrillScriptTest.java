package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/failover-drill.sh --start} as a user runs it, on a configuration of its own (two
 * JobManagers, two TaskManagers, the embedded ZooKeeper server, 4 s session and heartbeat
 * timeouts): it starts the cluster, survives two faults with nothing lost or duplicated, prints a
 * row per fault (a killed leader's says {@code reconciled}: its successor adopted the running
 * tasks) and the summary line, and leaves nothing running. Needs the distribution built (lib/ and
 * examples/target/baton-examples.jar).
 */
class FailoverDrillScriptTest {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = HOME.resolve("bin").resolve("failover-drill.sh");
  private static final Pattern ROW =
      Pattern.compile(
          "^(\\d+)\\s+(leader|standby|taskmanager|zookeeper) SIG(KILL|TERM|STOP) pid (\\d+) \\S+\\s+"
              + ".*\\s(reconciled|chk-\\d+|none|-)$");
  private static final Pattern SUMMARY =
      Pattern.compile(
          "drill: faults=(\\d+) recovered=(\\d+) lost=(\\d+) duplicated=(\\d+)"
              + " failover_ms_median=(\\d+) failover_ms_max=(\\d+)");

  @TempDir Path workDir;
  private Path confDir;

  /** What the script printed and returned. */
  record Run(int exitCode, List<String> out, List<String> err) {}

  @AfterEach
  void killWhatIsLeft() {
    // only when a run went wrong: whatever still runs on this test's configuration
    if (confDir != null) {
      processesOf(confDir).forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void twoRandomKillsAreRecoveredExactlyOnceAndTheStartedClusterIsStopped() throws Exception {
    confDir = writeConf("quorum-embedded", "embedded");

    Run run =
        drill(
            "--start",
            "--kills",
            "2",
            "--target",
            "random",
            "--seed",
            // a TaskManager, then the leader
            "3",
            "--events",
            "15000",
            "--rate",
            "1000",
            "--interval",
            "1");

    List<Matcher> rows = assertDrillPassed(run, "KILL");
    assertThat(rows)
        .as("a leader SIGKILL among %s", run.out())
        .anyMatch(r -> r.group(2).equals("leader"));
  }

  @Test
  void twoRandomGracefulStopsAreRecoveredExactlyOnce() throws Exception {
    confDir = writeConf("quorum-embedded", "embedded");

    Run run =
        drill(
            "--start",
            "--kills",
            "2",
            "--target",
            "random",
            "--seed",
            "11",
            "--signal",
            "TERM",
            "--events",
            "15000",
            "--rate",
            "1000",
            "--interval",
            "1");

    assertDrillPassed(run, "TERM");
  }

  @Test
  void badOptionsAndImpossibleTargetsExitOneWithOneLine() throws Exception {
    confDir = writeConf("quorum-external", "127.0.0.1:1");

    Run badValue = drill("--kills", "none");
    assertThat(badValue.exitCode()).isEqualTo(1);
    assertThat(badValue.out()).isEmpty();
    assertThat(badValue.err())
        .containsExactly("failover-drill: --kills takes a whole number, not 'none'");

    Run noEmbeddedZooKeeper = drill("--target", "zookeeper", "--start");
    assertThat(noEmbeddedZooKeeper.exitCode()).isEqualTo(1);
    assertThat(noEmbeddedZooKeeper.err()).hasSize(1);
    assertThat(noEmbeddedZooKeeper.err().get(0))
        .startsWith(
            "failover-drill: --target zookeeper needs high-availability.zookeeper.quorum: embedded");
    assertThat(processesOf(confDir)).as("nothing started").isEmpty();

    Run help = drill("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(String.join("\n", help.out())).contains("--kills", "--target", "--signal", "--seed");
  }

  private List<Matcher> assertDrillPassed(Run run, String signal) {
    String all = String.join("\n", run.out()) + "\n" + String.join("\n", run.err());
    assertThat(run.exitCode()).as(all).isZero();
    List<Matcher> rows = run.out().stream().map(ROW::matcher).filter(Matcher::matches).toList();
    assertThat(rows).as(all).hasSize(2);
    assertThat(rows).allSatisfy(r -> assertThat(r.group(3)).isEqualTo(signal));
    // a killed leader's successor adopts the running tasks: the row says so instead of a checkpoint
    assertThat(rows)
        .filteredOn(r -> r.group(2).equals("leader") && r.group(3).equals("KILL"))
        .filteredOn(r -> !r.group(0).contains("job finished"))
        .allSatisfy(r -> assertThat(r.group(5)).as(r.group(0)).isEqualTo("reconciled"));
    assertThat(rows.get(0).group(1)).isEqualTo("1");
    assertThat(rows.get(1).group(1)).isEqualTo("2");
    List<String> summaries = run.out().stream().filter(l -> l.startsWith("drill: ")).toList();
    assertThat(summaries).as(all).hasSize(1);
    Matcher summary = SUMMARY.matcher(summaries.get(0));
    assertThat(summary.matches()).as(summaries.get(0)).isTrue();
    assertThat(summary.group(1)).isEqualTo("2");
    assertThat(summary.group(2)).isEqualTo("2");
    assertThat(summary.group(3)).isEqualTo("0");
    assertThat(summary.group(4)).isEqualTo("0");
    // everything it started, the processes it hit included, is gone
    assertThat(processesOf(confDir)).as("processes left running").isEmpty();
    for (Matcher row : rows) {
      assertThat(ProcessHandle.of(Long.parseLong(row.group(4))).map(ProcessHandle::isAlive))
          .as("pid %s", row.group(4))
          .isNotEqualTo(java.util.Optional.of(true));
    }
    return rows;
  }

  private Run drill(String... args) throws IOException, InterruptedException {
    Path out = workDir.resolve("drill.out");
    Path err = workDir.resolve("drill.err");
    ProcessBuilder builder =
        new ProcessBuilder(concat(List.of("bash", SCRIPT.toString()), List.of(args)))
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.put("BATON_CONF_DIR", confDir.toString());
    env.put("BATON_LOG_DIR", workDir.resolve("log").toString());
    env.put("BATON_PID_DIR", workDir.resolve("pids").toString());
    env.put("BATON_DATA_DIR", workDir.resolve("data").toString());
    env.put("BATON_JM_HEAP", "256m");
    env.put("BATON_TM_HEAP", "256m");
    env.put("BATON_ZK_HEAP", "128m");
    env.put("BATON_TM_START_CHECK", "1");
    env.put("BATON_JVM_OPTS", "-XX:+UseSerialGC -Djava.io.tmpdir=" + workDir);
    Process process = builder.start();
    if (!process.waitFor(4, TimeUnit.MINUTES)) {
      process.destroy(); // SIGTERM: the drill cleans up after itself
      process.waitFor(2, TimeUnit.MINUTES);
      throw new AssertionError(
          "the drill did not end within 4 minutes:\n"
              + Files.readString(out)
              + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  /** A conf/ with two JobManagers, two TaskManagers and short timeouts, on free ports. */
  private Path writeConf(String name, String quorum) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve(name));
    for (String file : List.of("log4j2.properties", "log4j2-console.properties")) {
      Files.copy(
          HOME.resolve("conf").resolve(file),
          dir.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    int[] ports = freePorts(3);
    Files.writeString(
        dir.resolve("baton-conf.yaml"),
        String.join(
            "\n",
            "high-availability.type: zookeeper",
            "high-availability.zookeeper.quorum: " + quorum,
            "high-availability.zookeeper.embedded.port: " + ports[0],
            "high-availability.zookeeper.client.session-timeout: 4 s",
            "high-availability.cluster-id: drill-" + name,
            "high-availability.storageDir: " + workDir.resolve("ha").toUri(),
            "state.checkpoints.dir: " + workDir.resolve("checkpoints").toUri(),
            "jobmanager.rpc.address: localhost",
            "jobmanager.rpc.port: 0",
            "rest.address: localhost",
            "rest.port: " + ports[1],
            "taskmanager.numberOfTaskSlots: 2",
            "taskmanager.rpc.port: 0",
            "heartbeat.interval: 500 ms",
            "heartbeat.timeout: 4 s",
            "restart-strategy.type: fixed-delay",
            "restart-strategy.fixed-delay.attempts: 10",
            "restart-strategy.fixed-delay.delay: 500 ms",
            ""));
    Files.writeString(
        dir.resolve("masters"), "localhost:" + ports[1] + "\nlocalhost:" + ports[2] + "\n");
    Files.writeString(dir.resolve("workers"), "localhost\nlocalhost\n");
    return dir;
  }

  /** Processes started with this configuration directory (every bin/ daemon names it). */
  private static List<ProcessHandle> processesOf(Path confDir) {
    String marker = "--configDir " + confDir;
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  private static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
    return ports;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
