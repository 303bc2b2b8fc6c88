package io.baton.coordinator.rest;

import io.baton.common.config.Configuration;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
 * JVM's environment, its log files, a few JVM metrics and a thread dump. Log files are read from
 * the directory of {@code baton.log.file} (set by {@code bin/jobmanager.sh}); only files directly
 * in it are served.
 */
final class JobManagerHandlers {
  /** What Flink's dashboard shows instead of a secret, as Flink's own REST API does. */
  static final String HIDDEN = "******";

  private static final Pattern SENSITIVE =
      Pattern.compile("password|secret|token|credential|jaas|auth-params|access-key|apikey");
  private static final Pattern LOG_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
  // a log file is served from its end: the dashboard shows text, not gigabytes
  private static final int MAX_LOG_BYTES = 1 << 20;
  private static final int MAX_THREAD_DEPTH = 64;

  private final Configuration configuration;
  private final Optional<Path> logFile;

  /**
   * @param logFile this JobManager's log file ({@code baton.log.file}); empty when it logs to the
   *     console only
   */
  JobManagerHandlers(Configuration configuration, Optional<Path> logFile) {
    this.configuration = configuration;
    this.logFile = logFile.map(p -> p.toAbsolutePath().normalize());
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
    List<Map<String, Object>> logs = new ArrayList<>();
    Optional<Path> dir = logFile.map(Path::getParent);
    if (dir.isPresent() && Files.isDirectory(dir.get())) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.get())) {
        for (Path file : files) {
          if (Files.isRegularFile(file)
              && LOG_NAME.matcher(file.getFileName().toString()).matches()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", file.getFileName().toString());
            entry.put("size", Files.size(file));
            entry.put("mtime", Files.getLastModifiedTime(file).toMillis());
            logs.add(entry);
          }
        }
      }
    }
    logs.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
    ctx.json(Map.of("logs", logs));
  }

  /** {@code GET /jobmanager/log}: this JobManager's log file. */
  void log(Context ctx) throws IOException {
    serve(ctx, logFile.orElseThrow(() -> noLogFile("log")));
  }

  /** {@code GET /jobmanager/stdout}: the {@code .out} file next to the log file. */
  void stdout(Context ctx) throws IOException {
    Path log = logFile.orElseThrow(() -> noLogFile("stdout"));
    String name = log.getFileName().toString();
    String out = (name.endsWith(".log") ? name.substring(0, name.length() - 4) : name) + ".out";
    serve(ctx, log.resolveSibling(out));
  }

  /** {@code GET /jobmanager/logs/{name}}: one file of the log directory, by its name. */
  void logByName(Context ctx) throws IOException {
    String name = ctx.pathParam("name");
    if (!LOG_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw RestException.badRequest(
          "invalid log file name '" + name + "': expected a file name of the log directory");
    }
    Path dir = logFile.map(Path::getParent).orElseThrow(() -> noLogFile("logs"));
    serve(ctx, dir.resolve(name));
  }

  private static RestException noLogFile(String what) {
    return RestException.notFound(
        "this JobManager has no "
            + what
            + " file: it was started without baton.log.file (bin/jobmanager.sh sets it) and logs"
            + " to its console");
  }

  private static void serve(Context ctx, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw RestException.notFound("no log file " + file.getFileName());
    }
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(Math.max(0, size - MAX_LOG_BYTES));
      ctx.contentType("text/plain; charset=utf-8").result(in.readAllBytes());
    }
  }

  /**
   * {@code GET /jobmanager/metrics}: without {@code ?get=} the metric names, with it their values,
   * as Flink's {@code [{"id", "value"}]}.
   */
  void metrics(Context ctx) {
    Map<String, Object> values = jvmMetrics();
    MetricQuery.answer(ctx, values);
  }

  /** A few of the JVM metrics Flink's dashboard shows, under Flink's names. */
  static Map<String, Object> jvmMetrics() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Status.JVM.Memory.Heap.Used", memory.getHeapMemoryUsage().getUsed());
    m.put("Status.JVM.Memory.Heap.Committed", memory.getHeapMemoryUsage().getCommitted());
    m.put("Status.JVM.Memory.Heap.Max", memory.getHeapMemoryUsage().getMax());
    m.put("Status.JVM.Memory.NonHeap.Used", memory.getNonHeapMemoryUsage().getUsed());
    m.put("Status.JVM.Memory.NonHeap.Committed", memory.getNonHeapMemoryUsage().getCommitted());
    m.put("Status.JVM.Memory.NonHeap.Max", memory.getNonHeapMemoryUsage().getMax());
    m.put("Status.JVM.Threads.Count", ManagementFactory.getThreadMXBean().getThreadCount());
    m.put(
        "Status.JVM.CPU.Load", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return m;
  }

  /** {@code GET /jobmanager/thread-dump}: {@code {"threadInfos": [{"threadName", ...}]}}. */
  void threadDump(Context ctx) {
    List<Map<String, String>> infos = new ArrayList<>();
    for (ThreadInfo info :
        ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, MAX_THREAD_DEPTH)) {
      infos.add(
          Map.of("threadName", info.getThreadName(), "stringifiedThreadInfo", info.toString()));
    }
    ctx.json(Map.of("threadInfos", infos));
  }
}
