package io.baton.it;

import io.baton.cli.BatonCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** {@code bin/baton} run in the test's JVM, with what it printed and returned. */
record InProcessCli(int exitCode, String out, String err) {

  /** Runs {@code args} with {@code environment} as the CLI's environment variables. */
  static InProcessCli run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new BatonCli(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                environment,
                Duration.ofMillis(100),
                Clock.systemUTC())
            .execute(args);
    return new InProcessCli(code, out.toString(), err.toString());
  }
}
