package io.baton.it.yarn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code conf/} directory for a YARN session on the mini cluster: small containers, quick
 * heartbeats, a restart strategy, the installation's log4j2.properties, and the test's own lines.
 */
public final class SessionConfDir {
  private SessionConfDir() {}

  /** Writes {@code dir/baton-conf.yaml} and {@code dir/log4j2.properties}; returns {@code dir}. */
  public static Path write(Path dir, Path tmpDir, String... extraLines) throws IOException {
    Files.createDirectories(dir);
    // the containers log as an installation's JobManager and TaskManagers do
    Files.copy(Path.of("..", "conf", "log4j2.properties"), dir.resolve("log4j2.properties"));
    List<String> lines =
        new ArrayList<>(
            List.of(
                "taskmanager.numberOfTaskSlots: 2",
                "taskmanager.memory.process.size: 512m",
                "jobmanager.memory.process.size: 512m",
                "env.java.opts.taskmanager: -Xmx256m -XX:+UseSerialGC",
                "heartbeat.interval: 250",
                "heartbeat.timeout: 3 s",
                "slot.request.timeout: 120 s",
                "resourcemanager.taskmanager-timeout: 60 s",
                "restart-strategy.type: fixed-delay",
                "restart-strategy.fixed-delay.attempts: 5",
                "restart-strategy.fixed-delay.delay: 200",
                "io.tmp.dirs: " + tmpDir));
    lines.addAll(List.of(extraLines));
    lines.add("");
    Files.writeString(dir.resolve("baton-conf.yaml"), String.join("\n", lines));
    return dir;
  }
}
