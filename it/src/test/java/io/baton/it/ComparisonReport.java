package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One side-by-side benchmark's part of the Baton/Flink table: rows measured in the same run, and
 * the exact settings they were measured with. Each benchmark writes its own file, {@code
 * it/target/comparison-<name>.md}; {@code bin/benchmark.sh flink} puts them under one header.
 */
public final class ComparisonReport {
  /** Where the parts go, relative to the {@code it} module (the tests' working directory). */
  public static final Path DIRECTORY = Path.of("target");

  private final String name;
  private final List<String> rows = new ArrayList<>();
  private final List<String> settings = new ArrayList<>();

  public ComparisonReport(String name) {
    this.name = name;
  }

  /**
   * Adds one row. The ratio column is {@code baton / flink}: below 1 means Baton needed less (time,
   * heap, CPU) or, for rates, that Baton did less.
   */
  public ComparisonReport row(String benchmark, String measure, double baton, double flink) {
    String ratio = flink == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", baton / flink);
    rows.add(
        "| "
            + benchmark
            + " | "
            + measure
            + " | "
            + number(baton)
            + " | "
            + number(flink)
            + " | "
            + ratio
            + " |");
    return this;
  }

  /** Adds a row where one side could not be measured; {@code why} says so in the table. */
  public ComparisonReport rowWithout(
      String benchmark, String measure, String baton, String flink, String why) {
    rows.add(
        "| " + benchmark + " | " + measure + " | " + baton + " | " + flink + " | " + why + " |");
    return this;
  }

  /** One line of the exact settings under which the rows were measured. */
  public ComparisonReport setting(String line) {
    settings.add(line);
    return this;
  }

  /** Writes {@code target/comparison-<name>.md} and prints it. */
  public Path write() throws IOException {
    StringBuilder text = new StringBuilder();
    for (String row : rows) {
      text.append(row).append('\n');
    }
    text.append('\n');
    text.append("Settings (").append(name).append("):\n");
    for (String line : settings) {
      text.append("- ").append(line).append('\n');
    }
    Files.createDirectories(DIRECTORY);
    Path file = DIRECTORY.resolve("comparison-" + name + ".md");
    Files.writeString(file, text);
    System.out.println(text);
    return file;
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return String.format(Locale.ROOT, "%,.1f", value);
  }
}
