package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.it.jobs.CyclicJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/baton} against a real cluster: every command, and the bad inputs a user makes. */
class CliOnClusterTest {
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  @TempDir static Path workDir;
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(workDir, 2, 2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static InProcessCli baton(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = args[0];
    full[1] = "--jobmanager=127.0.0.1:" + cluster.jobManager().restPort();
    System.arraycopy(args, 1, full, 2, args.length - 1);
    return InProcessCli.run(Map.of(), full);
  }

  @Test
  void runWaitsForTheJobAndExitsZeroWhenItFinishes() throws Exception {
    Path input = Files.writeString(workDir.resolve("in.txt"), "a rose is a rose is a rose\n");
    Path output = workDir.resolve("wc");

    InProcessCli run =
        baton(
            "run",
            "-p",
            "2",
            TestJars.examplesJar().toString(),
            "wordcount",
            "--input",
            input.toString(),
            "--output",
            output.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Job has been submitted with JobID", "FINISHED");
    List<String> lines;
    try (var parts = Files.list(output)) {
      lines =
          parts
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .flatMap(
                  p -> {
                    try {
                      return Files.readAllLines(p).stream();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .sorted()
              .toList();
    }
    assertThat(lines).containsExactly("a\t3", "is\t2", "rose\t3");
  }

  @Test
  void detachedRunListInfoAndCancel() {
    InProcessCli run =
        baton(
            "run",
            "-d",
            "-p",
            "1",
            TestJars.examplesJar().toString(),
            "ledger",
            "--events",
            "100000000",
            "--keys",
            "3",
            "--rate",
            "500",
            "--output",
            workDir.resolve("l").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Matcher m = JOB_ID.matcher(run.out());
    assertThat(m.find()).as(run.out()).isTrue();
    String jobId = m.group(1);
    Awaits.jobState(cluster.rest(), jobId, "RUNNING", Duration.ofSeconds(60));

    InProcessCli list = baton("list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out().lines().filter(l -> l.startsWith(jobId)).findFirst())
        .hasValueSatisfying(l -> assertThat(l).contains("ledger", "RUNNING"));

    InProcessCli info = baton("info");
    assertThat(info.exitCode()).isZero();
    assertThat(info.out()).contains("TaskManagers", "2").contains("1 running");

    InProcessCli cancel = baton("cancel", jobId);
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    Awaits.jobState(cluster.rest(), jobId, "CANCELED", Duration.ofSeconds(60));
  }

  @Test
  void badInputsExitOneWithOneLine() throws Exception {
    assertOneLineFailure(baton("run", workDir.resolve("missing.jar").toString()), "does not exist");
    Path notAJar = Files.writeString(workDir.resolve("notes.jar"), "plain text");
    assertOneLineFailure(baton("run", notAJar.toString()), "not a jar");
    Path cyclic = TestJars.jar(workDir, "cyclic.jar", CyclicJob.class, CyclicJob.class);
    assertOneLineFailure(baton("run", cyclic.toString()), "cycle");
    assertOneLineFailure(baton("cancel", "not-a-job-id"), "invalid job id");
    assertOneLineFailure(baton("cancel", "0123456789abcdef0123456789abcdef"), "not found");
  }

  @Test
  void failingJobMakesRunExitOne() {
    InProcessCli run =
        baton(
            "run",
            TestJars.examplesJar().toString(),
            "wordcount",
            "--input",
            workDir.resolve("no-such-input.txt").toString(),
            "--output",
            workDir.resolve("x").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out() + run.err()).contains("FAILED").contains("no-such-input.txt");
  }

  @Test
  void unreachableJobManagerIsOneLine() {
    InProcessCli unreachable = InProcessCli.run(Map.of(), "list", "--jobmanager=127.0.0.1:1");
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.err().strip())
        .startsWith("baton: no JobManager answers at 127.0.0.1:1 (is the cluster running?")
        .doesNotContain("\n");
  }

  private static void assertOneLineFailure(InProcessCli outcome, String reason) {
    assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isEqualTo(1);
    assertThat(outcome.err().strip()).startsWith("baton: ").contains(reason).doesNotContain("\n");
  }
}
