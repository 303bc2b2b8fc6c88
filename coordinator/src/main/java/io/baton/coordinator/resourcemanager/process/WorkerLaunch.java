package io.baton.coordinator.resourcemanager.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.resourcemanager.WorkerConfiguration;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one TaskManager JVM of the process driver is started: this JobManager's Java and class path
 * (the distribution's {@code lib/}), its Log4j configuration, and a configuration directory of the
 * worker's own holding this JobManager's configuration with the worker's id and the JobManager's
 * bound RPC port. The configuration goes to a file readable by its owner only, not onto the command
 * line, where {@code ps} would show its secrets.
 *
 * @param java the {@code java} executable
 * @param classpath the class path the JobManager runs from
 * @param jvmOptions {@code env.java.opts.taskmanager}
 * @param log4jConfiguration the JobManager's {@code log4j2.configurationFile}, or null
 * @param logDir where each worker's {@code .log} and {@code .out} go
 * @param configRoot where each worker's configuration directory is made
 * @param configuration the JobManager's configuration, which every worker starts from
 */
public record WorkerLaunch(
    Path java,
    String classpath,
    List<String> jvmOptions,
    String log4jConfiguration,
    Path logDir,
    Path configRoot,
    Map<String, String> configuration) {

  static final String MAIN_CLASS = "io.baton.taskmanager.TaskManagerEntrypoint";

  /** The worker's configuration directory, written afresh. */
  Path writeConfigDir(TaskManagerId id, int jobManagerRpcPort) throws IOException {
    Path dir = configRoot.resolve("worker-" + id.value());
    Files.createDirectories(dir);
    Path file = dir.resolve(ConfigurationLoader.FILE_NAME);
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    new ObjectMapper(new YAMLFactory())
        .writeValue(
            file.toFile(), WorkerConfiguration.forWorker(configuration, id, jobManagerRpcPort));
    return dir;
  }

  Path logFile(TaskManagerId id) {
    return logDir.resolve("baton-taskmanager-" + id.value() + ".log");
  }

  Path outFile(TaskManagerId id) {
    return logDir.resolve("baton-taskmanager-" + id.value() + ".out");
  }

  /** The command line of the worker with configuration directory {@code configDir}. */
  List<String> command(TaskManagerId id, Path configDir) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.add("-Dbaton.log.file=" + logFile(id));
    if (log4jConfiguration != null) {
      command.add("-Dlog4j2.configurationFile=" + log4jConfiguration);
    }
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    command.add("--configDir");
    command.add(configDir.toString());
    return command;
  }

  /** Starts the worker's JVM; its stdout and stderr go to its {@code .out} file. */
  Process start(TaskManagerId id, int jobManagerRpcPort) throws IOException {
    Files.createDirectories(logDir);
    Path configDir = writeConfigDir(id, jobManagerRpcPort);
    File out = outFile(id).toFile();
    Process process =
        new ProcessBuilder(command(id, configDir))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
            .start();
    process.getOutputStream().close();
    return process;
  }
}
