package io.baton.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Renders every configuration option as the Markdown table of the README, so the documented keys,
 * defaults, ranges and descriptions come from the option classes themselves.
 *
 * <p>{@code java -cp "lib/*" io.baton.common.config.ConfigDocs} prints the table; {@code ...
 * ConfigDocs --update README.md} replaces the table between {@link #START_MARKER} and {@link
 * #END_MARKER} in that file.
 */
public final class ConfigDocs {
  /** The line before the generated table in the README. */
  public static final String START_MARKER = "<!-- config-table:start -->";

  /** The line after the generated table in the README. */
  public static final String END_MARKER = "<!-- config-table:end -->";

  private final List<ConfigOption<?>> options;
  private final String tmpDir;

  /**
   * @param options the options to document
   * @param tmpDir this JVM's {@code java.io.tmpdir}: a default equal to it is machine-specific and
   *     is documented by name instead
   */
  ConfigDocs(KnownOptions options, String tmpDir) {
    this.options = options.all();
    this.tmpDir = tmpDir;
  }

  /** Documents Baton's own options. */
  public static ConfigDocs baton() {
    return new ConfigDocs(KnownOptions.baton(), System.getProperty("java.io.tmpdir"));
  }

  /** The table: a header and one row per option, sorted by key, each line ending in '\n'. */
  public String markdownTable() {
    StringBuilder table = new StringBuilder();
    table.append("| Key | Default | Type | Range | Description |\n");
    table.append("|---|---|---|---|---|\n");
    for (ConfigOption<?> option : options) {
      table
          .append("| `")
          .append(option.key())
          .append("` | ")
          .append(defaultCell(option))
          .append(" | ")
          .append(cell(option.typeName()))
          .append(" | ")
          .append(option.range().map(range -> cell(range.text())).orElse(""))
          .append(" | ")
          .append(cell(option.description()))
          .append(" |\n");
    }
    return table.toString();
  }

  /**
   * The text between the markers in {@code document} (the lines after the start marker's line up to
   * the end marker's line), or empty when the document lacks them.
   */
  public static Optional<String> tableIn(String document) {
    int start = document.indexOf(START_MARKER);
    int end = document.indexOf(END_MARKER);
    if (start < 0 || end < start) {
      return Optional.empty();
    }
    int afterStartLine = document.indexOf('\n', start);
    if (afterStartLine < 0 || afterStartLine > end) {
      return Optional.empty();
    }
    return Optional.of(document.substring(afterStartLine + 1, end));
  }

  /**
   * {@code document} with the text between the markers replaced by the current table.
   *
   * @throws IllegalArgumentException when the document lacks the markers, each on a line of its own
   */
  public String updateTableIn(String document) {
    if (tableIn(document).isEmpty()) {
      throw new IllegalArgumentException(
          "no lines '"
              + START_MARKER
              + "' and '"
              + END_MARKER
              + "' (in this order) to put the table between");
    }
    int bodyStart = document.indexOf('\n', document.indexOf(START_MARKER)) + 1;
    int bodyEnd = document.indexOf(END_MARKER);
    return document.substring(0, bodyStart) + markdownTable() + document.substring(bodyEnd);
  }

  /** Prints the table, or with {@code --update FILE} rewrites the table in FILE. */
  public static void main(String[] args) {
    ConfigDocs docs = baton();
    if (args.length == 0) {
      System.out.print(docs.markdownTable());
      return;
    }
    if (args.length != 2 || !args[0].equals("--update")) {
      System.err.println("Usage: ConfigDocs            print the configuration table (Markdown)");
      System.err.println(
          "       ConfigDocs --update FILE   replace the table between the markers in FILE");
      System.exit(1);
    }
    Path file = Path.of(args[1]);
    try {
      String document = Files.readString(file, StandardCharsets.UTF_8);
      Files.writeString(file, docs.updateTableIn(document), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("ConfigDocs: cannot update " + file + ": " + e.getMessage());
      System.exit(1);
    } catch (IllegalArgumentException e) {
      System.err.println("ConfigDocs: " + file + " has " + e.getMessage());
      System.exit(1);
    }
    System.out.println("Updated the configuration table in " + file);
  }

  private String defaultCell(ConfigOption<?> option) {
    String text = option.defaultValueText();
    if (option.defaultValue().isEmpty()) {
      return cell(text);
    }
    if (tmpDir != null && text.equals(tmpDir)) {
      return "the JVM's `java.io.tmpdir`";
    }
    return "`" + cell(text) + "`";
  }

  /** Text safe inside a table cell: '|' would end the cell, a line break the row. */
  private static String cell(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("|", "\\|").replace("\r", "").replace("\n", " ");
  }
}
