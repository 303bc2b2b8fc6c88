package io.baton.coordinator.rest;

import io.baton.common.config.Configuration;
import io.baton.common.diagnostics.JvmFigures;
import io.baton.common.diagnostics.LogDirectory;
import io.baton.common.diagnostics.LogTail;
import io.baton.common.diagnostics.ThreadDump;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code /jobmanager/*} in Flink's shapes: this JobManager's configuration (secrets masked), its
 * JVM's environment, its log files, its JVM's metrics and a thread dump. Log files are read from
 * the directory of {@code baton.log.file} (set by {@code bin/jobmanager.sh}) as a TaskManager's are
 * ({@link LogDirectory}): only files directly in it, no symbolic links, at most a file's last MiB.
 */
final class JobManagerHandlers {
  /** What Flink's dashboard shows instead of a secret, as Flink's own REST API does. */
  static final String HIDDEN = "******";

  private static final Pattern SENSITIVE =
      Pattern.compile("password|secret|token|credential|jaas|auth-params|access-key|apikey");

  private final Configuration configuration;
  private final LogDirectory logs;

  /**
   * @param logFile this JobManager's log file ({@code baton.log.file}); empty when it logs to the
   *     console only
   */
  JobManagerHandlers(Configuration configuration, Optional<Path> logFile) {
    this.configuration = configuration;
    this.logs = new LogDirectory(logFile);
  }

  /** {@code GET /jobmanager/config}: {@code [{"key", "value"}]}, secrets masked. */
  void config(Context ctx) {
    List<Map<String, String>> entries = new ArrayList<>();
    new TreeMap<>(configuration.toMap())
        .forEach((key, value) -> entries.add(Map.of("key", key, "value", masked(key, value))));
    ctx.json(entries);
  }

  static String masked(String key, String value) {
    return SENSITIVE.matcher(key.toLowerCase(Locale.ROOT)).find() ? HIDDEN : value;
  }

  /** {@code GET /jobmanager/environment}: Flink's {@code EnvironmentInfo}. */
  void environment(Context ctx) {
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put(
        "version",
        System.getProperty("java.vm.name") + " - " + System.getProperty("java.vm.version"));
    jvm.put("arch", System.getProperty("os.arch"));
    List<String> options =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .map(JobManagerHandlers::maskedOption)
            .toList();
    jvm.put("options", options);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jvm", jvm);
    body.put(
        "classpath",
        Arrays.asList(System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)));
    ctx.json(body);
  }

  /** A {@code -Dkey=value} option with a secret's value masked. */
  private static String maskedOption(String option) {
    int eq = option.indexOf('=');
    if (option.startsWith("-D") && eq > 0) {
      String key = option.substring(2, eq);
      return "-D" + key + "=" + masked(key, option.substring(eq + 1));
    }
    return option;
  }

  /** {@code GET /jobmanager/logs}: {@code {"logs": [{"name", "size", "mtime"}]}}. */
  void logs(Context ctx) throws IOException {
    ctx.json(Map.of("logs", logs.list()));
  }

  /** {@code GET /jobmanager/log}: the end of this JobManager's log file. */
  void log(Context ctx) throws IOException {
    String name = logs.logFile().orElseThrow(() -> noLogFile("log")).getFileName().toString();
    serve(ctx, logs.readLog(LogDirectory.MAX_READ_BYTES), name);
  }

  /** {@code GET /jobmanager/stdout}: the {@code .out} file next to the log file. */
  void stdout(Context ctx) throws IOException {
    String name = logs.stdoutName().orElseThrow(() -> noLogFile("stdout"));
    serve(ctx, logs.readStdout(LogDirectory.MAX_READ_BYTES), name);
  }

  /** {@code GET /jobmanager/logs/{name}}: one file of the log directory, by its name. */
  void logByName(Context ctx) throws IOException {
    String name = ctx.pathParam("name");
    if (!LogDirectory.isPlainName(name)) {
      throw RestException.badRequest(
          "invalid log file name '" + name + "': expected a file name of the log directory");
    }
    if (logs.logFile().isEmpty()) {
      throw noLogFile("logs");
    }
    serve(ctx, logs.readNamed(name, LogDirectory.MAX_READ_BYTES), name);
  }

  private static RestException noLogFile(String what) {
    return RestException.notFound(
        "this JobManager has no "
            + what
            + " file: it was started without baton.log.file (bin/jobmanager.sh sets it) and logs"
            + " to its console");
  }

  private static void serve(Context ctx, Optional<LogTail> tail, String name) {
    byte[] bytes = tail.orElseThrow(() -> RestException.notFound("no log file " + name)).bytes();
    ctx.contentType("text/plain; charset=utf-8").result(bytes);
  }

  /**
   * {@code GET /jobmanager/metrics}: without {@code ?get=} the metric names, with it their values,
   * as Flink's {@code [{"id", "value"}]}.
   */
  void metrics(Context ctx) {
    MetricQuery.answer(ctx, JvmFigures.ofThisJvm().flinkMetrics());
  }

  /** {@code GET /jobmanager/thread-dump}: {@code {"threadInfos": [{"threadName", ...}]}}. */
  void threadDump(Context ctx) {
    ctx.json(Map.of("threadInfos", ThreadDump.ofThisJvm().threads()));
  }
}
