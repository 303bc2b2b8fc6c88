package io.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDocsTest {
  private static final String TMP_DIR = System.getProperty("java.io.tmpdir");

  private final ConfigDocs docs = ConfigDocs.baton();

  @Test
  void readmeHoldsTheGeneratedTable() throws IOException {
    // Tests run in the module directory; the README is at the repository root above it.
    Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    assertThat(readme).as("the repository's README").isRegularFile();

    Optional<String> documented = ConfigDocs.tableIn(Files.readString(readme));
    assertThat(documented)
        .as(
            "%s needs the lines %s and %s around the configuration table",
            readme, ConfigDocs.START_MARKER, ConfigDocs.END_MARKER)
        .isPresent();
    String expected = docs.markdownTable();
    assertThat(documented.get())
        .as(
            "the configuration table in README.md is out of date: from the repository root, run%n"
                + "  java -cp common/target/classes io.baton.common.config.ConfigDocs --update README.md%n"
                + "or put this between the markers:%n%s",
            expected)
        .isEqualTo(expected);
  }

  @Test
  void everyOptionHasOneRowInKeyOrder() {
    List<String> rows = rows(docs.markdownTable());

    List<String> keysInRows =
        rows.stream().map(row -> row.substring(row.indexOf('`') + 1, row.indexOf("` |"))).toList();
    List<String> knownKeys = KnownOptions.baton().all().stream().map(ConfigOption::key).toList();
    assertThat(keysInRows).isEqualTo(knownKeys).isSorted();
  }

  @Test
  void rowShowsKeyDefaultTypeRangeAndDescription() {
    assertThat(rows(docs.markdownTable()))
        .contains(
            "| `rest.port` | `8081` | Integer | 0..65535 | Port of the REST API; 0 picks a free port. |",
            "| `heartbeat.interval` | `10 s` | Duration | > 0 ms"
                + " | How often a TaskManager heartbeats to the JobManager. |");
  }

  @Test
  void everyRowHasFiveCellsEvenWithPipesInTheText() {
    for (String row : rows(docs.markdownTable())) {
      String unescapedPipes = row.replace("\\|", "");
      assertThat(unescapedPipes.chars().filter(c -> c == '|').count()).as(row).isEqualTo(6);
    }
    assertThat(row("high-availability.type"))
        .isEqualTo(
            "| `high-availability.type` | `none` | Enum (none \\| zookeeper) |  | "
                + HighAvailabilityOptions.TYPE.description()
                + " |");
  }

  @Test
  void optionWithoutDefaultShowsNone() {
    assertThat(row("state.checkpoints.dir")).startsWith("| `state.checkpoints.dir` | (none) |");
  }

  @Test
  void defaultThatIsThisMachinesTmpDirIsDocumentedByName() {
    assertThat(row("io.tmp.dirs"))
        .contains("| the JVM's `java.io.tmpdir` |")
        .doesNotContain(TMP_DIR);

    ConfigDocs elsewhere = new ConfigDocs(KnownOptions.baton(), "/some/other/tmp");
    assertThat(rows(elsewhere.markdownTable()))
        .contains(
            "| `io.tmp.dirs` | `"
                + TMP_DIR
                + "` | String |  | "
                + CoreOptions.TMP_DIRS.description()
                + " |");
  }

  @Test
  void updateReplacesOnlyTheTextBetweenTheMarkers() {
    String document =
        "# Title\n\nBefore.\n"
            + ConfigDocs.START_MARKER
            + "\n| old | table |\n"
            + ConfigDocs.END_MARKER
            + "\n\nAfter.\n";

    String updated = docs.updateTableIn(document);

    assertThat(updated)
        .isEqualTo(
            "# Title\n\nBefore.\n"
                + ConfigDocs.START_MARKER
                + "\n"
                + docs.markdownTable()
                + ConfigDocs.END_MARKER
                + "\n\nAfter.\n");
    assertThat(ConfigDocs.tableIn(updated)).contains(docs.markdownTable());
  }

  @Test
  void updateWithoutMarkersNamesThem() {
    assertThat(ConfigDocs.tableIn("# Title\n")).isEmpty();
    assertThatThrownBy(() -> docs.updateTableIn("# Title\n" + ConfigDocs.END_MARKER + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ConfigDocs.START_MARKER)
        .hasMessageContaining(ConfigDocs.END_MARKER);
  }

  @Test
  void mainUpdatesTheTableInAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("README.md");
    Files.writeString(
        file,
        "Intro\n" + ConfigDocs.START_MARKER + "\nstale\n" + ConfigDocs.END_MARKER + "\n",
        StandardCharsets.UTF_8);

    ConfigDocs.main(new String[] {"--update", file.toString()});

    assertThat(ConfigDocs.tableIn(Files.readString(file))).contains(docs.markdownTable());
    assertThat(Files.readString(file)).startsWith("Intro\n").doesNotContain("stale");
  }

  private String row(String key) {
    return rows(docs.markdownTable()).stream()
        .filter(row -> row.startsWith("| `" + key + "` |"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + key));
  }

  /** The table's rows without the header and the separator line. */
  private static List<String> rows(String table) {
    List<String> lines = table.lines().toList();
    assertThat(lines.get(0)).isEqualTo("| Key | Default | Type | Range | Description |");
    assertThat(lines.get(1)).isEqualTo("|---|---|---|---|---|");
    return lines.subList(2, lines.size());
  }
}
