package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped examples on one JobManager and two TaskManagers, with parallelism 4. */
class ExamplesOnLocalClusterTest {
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

  @Test
  void wordCountCountsEveryWordExactlyOnce() throws Exception {
    Path input = workDir.resolve("words.txt");
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < 5_000; line++) {
      text.append("Line ")
          .append(line % 97)
          .append(": the Quick brown fox, the lazy dog; ")
          .append("word")
          .append(line % 13)
          .append(" ÜBER straße\n");
    }
    Files.writeString(input, text);
    Path output = workDir.resolve("wordcount-out");

    String jobId =
        cluster
            .rest()
            .submit(
                TestJars.examplesJar(),
                4,
                "wordcount",
                "--input",
                input.toString(),
                "--output",
                output.toString());
    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(2));

    assertThat(readCounts(output)).isEqualTo(expectedCounts(text.toString()));
  }

  @Test
  void ledgerWritesEveryEventOnceWithRightRunningSums() throws Exception {
    Path output = workDir.resolve("ledger-out");
    long events = 200_000;
    int keys = 17;

    String jobId =
        cluster
            .rest()
            .submit(
                TestJars.examplesJar(),
                4,
                "ledger",
                "--events",
                Long.toString(events),
                "--keys",
                Integer.toString(keys),
                "--rate",
                "0",
                "--output",
                output.toString());
    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(2));

    LedgerVerifier.assertExactlyOnce(output, events, keys);
    assertThat(cluster.rest().getOk("/jobs/" + jobId).get("vertices"))
        .as("a source vertex and a keyed vertex, each with parallelism 4")
        .hasSize(2)
        .allSatisfy(v -> assertThat(v.get("parallelism").asInt()).isEqualTo(4));
    assertThat(
            cluster
                .rest()
                .getOk("/jobs/" + jobId)
                .get("vertices")
                .get(0)
                .get("metrics")
                .get("write-records")
                .asLong())
        .as("records the finished sources wrote, as their final reports said")
        .isEqualTo(events);
  }

  private static Map<String, Long> expectedCounts(String text) {
    return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
        .filter(w -> !w.isEmpty())
        .collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
  }

  private static Map<String, Long> readCounts(Path outputDir) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    try (Stream<Path> files = Files.list(outputDir)) {
      for (Path part : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        for (String line : Files.readAllLines(part)) {
          List<String> fields = List.of(line.split("\t"));
          assertThat(fields).as("line '%s' of %s", line, part).hasSize(2);
          Long previous = counts.put(fields.get(0), Long.parseLong(fields.get(1)));
          assertThat(previous).as("word '%s' written twice", fields.get(0)).isNull();
        }
      }
    }
    return counts;
  }
}
