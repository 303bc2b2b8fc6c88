package io.baton.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An example's {@code --name value} (or {@code --name=value}) options, checked against the names it
 * knows.
 */
final class Arguments {
  private final Map<String, String> values;

  private Arguments(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param args the options, without the example's name
   * @param known option names (without "--") the example accepts
   */
  static Arguments parse(String[] args, Set<String> known) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      int equals = arg.indexOf('=');
      String option = equals < 0 ? arg : arg.substring(0, equals);
      String name = option.substring(2);
      if (!known.contains(name)) {
        throw new UsageException("unknown option '" + option + "'");
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1); // --name=value
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        throw new UsageException("option '" + option + "' needs a value");
      }
      if (values.put(name, value) != null) {
        throw new UsageException("option '" + option + "' is given twice");
      }
    }
    return new Arguments(values);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("missing option '--" + name + "'");
    }
    if (value.isBlank()) {
      throw new UsageException("option '--" + name + "' must not be blank");
    }
    return value;
  }

  /** A whole number between {@code min} and {@code max}. */
  long number(String name, long min, long max) throws UsageException {
    String value = string(name);
    long number;
    try {
      number = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(
          "option '--" + name + "' must be a whole number, not '" + value + "'");
    }
    if (number < min || number > max) {
      throw new UsageException(
          "option '--" + name + "' must be between " + min + " and " + max + ", not " + number);
    }
    return number;
  }

  long number(String name, long min, long max, long defaultValue) throws UsageException {
    return has(name) ? number(name, min, max) : defaultValue;
  }
}
