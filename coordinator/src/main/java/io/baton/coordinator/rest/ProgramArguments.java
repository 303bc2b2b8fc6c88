package io.baton.coordinator.rest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Flink's {@code programArgs} string into arguments: at white space, except inside double or
 * single quotes, which are removed. No escapes.
 */
final class ProgramArguments {
  private ProgramArguments() {}

  static List<String> split(String line) {
    List<String> args = new ArrayList<>();
    if (line == null) {
      return args;
    }
    StringBuilder current = new StringBuilder();
    boolean inArgument = false;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inArgument = true;
      } else if (Character.isWhitespace(c)) {
        if (inArgument) {
          args.add(current.toString());
          current.setLength(0);
          inArgument = false;
        }
      } else {
        current.append(c);
        inArgument = true;
      }
    }
    if (inArgument) {
      args.add(current.toString());
    }
    return args;
  }
}
