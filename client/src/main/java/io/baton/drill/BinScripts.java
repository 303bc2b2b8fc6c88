package io.baton.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts of bin/ (start-cluster.sh, jobmanager.sh, ...) the way an operator does, their
 * output appended to the drill's log. Each runs in a session of its own (setsid), so the processes
 * it starts do not get the Ctrl-C meant for the drill.
 */
final class BinScripts {
  private final Installation installation;
  private final Path log;
  private final boolean setsid;

  BinScripts(Installation installation, Path log) {
    this.installation = installation;
    this.log = log;
    this.setsid =
        Files.isExecutable(Path.of("/usr/bin/setsid"))
            || Files.isExecutable(Path.of("/bin/setsid"));
  }

  Path log() {
    return log;
  }

  /**
   * Runs {@code bin/<script> args...}; fails with one line (and the script's last line) unless it
   * exits 0 within {@code timeout}.
   */
  void run(Duration timeout, String script, String... args) {
    List<String> command = new ArrayList<>();
    if (setsid) {
      command.add("setsid");
    }
    command.add(installation.bin().resolve(script).toString());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "\n$ " + String.join(" ", command) + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().put("BATON_CONF_DIR", installation.confDir().toString());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new DrillException(
            "bin/"
                + script
                + " "
                + String.join(" ", args)
                + " did not end within "
                + timeout.toSeconds()
                + " s; see "
                + log);
      }
      if (process.exitValue() != 0) {
        throw new DrillException(
            "bin/"
                + script
                + " "
                + String.join(" ", args)
                + " failed: "
                + lastLine()
                + " (see "
                + log
                + ")");
      }
    } catch (IOException e) {
      throw new DrillException("cannot run bin/" + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DrillException("interrupted while bin/" + script + " ran", e);
    }
  }

  private String lastLine() {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).trim();
        }
      }
    } catch (IOException e) {
      // the log line is a courtesy; the failure itself is reported
    }
    return "no output";
  }
}
