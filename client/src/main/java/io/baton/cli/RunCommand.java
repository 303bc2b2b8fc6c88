package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton run [-d] [-p N] [-c MAIN] JAR [ARGS...]}: uploads the jar, runs it, and (unless
 * detached) follows the job until it ends. Exit code 0 when it finished, 1 when it failed or was
 * canceled.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Uploads a job jar to the JobManager and runs its main class.")
final class RunCommand implements Callable<Integer> {
  /** Unchanged progress is repeated this often, so a quiet job still shows it is alive. */
  private static final Duration REPEAT_PROGRESS = Duration.ofSeconds(10);

  private final CliContext context;

  @Mixin ClusterOptions cluster;

  @Option(
      names = {"-d", "--detached"},
      description = "Return once the job is submitted.")
  boolean detached;

  @Option(
      names = {"-p", "--parallelism"},
      paramLabel = "N",
      description = "Parallelism of operators that set none (default: parallelism.default).")
  Integer parallelism;

  @Option(
      names = {"-c", "--class"},
      paramLabel = "MAIN",
      description = "The job's main class (default: Main-Class of the jar's manifest).")
  String entryClass;

  @Option(
      names = {"-s", "--fromSavepoint"},
      paramLabel = "PATH",
      description =
          "Start from this savepoint or retained checkpoint: an absolute URI such as"
              + " file:///path, hdfs://namenode:port/path or s3://bucket/path.")
  String savepointPath;

  @Parameters(index = "0", paramLabel = "JAR", description = "The job jar.")
  Path jar;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments of the job's main().")
  List<String> args = new ArrayList<>();

  RunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.exists(jar)) {
      throw new CliException("jar file " + jar + " does not exist");
    }
    if (!Files.isRegularFile(jar)) {
      throw new CliException("jar file " + jar + " is not a file");
    }
    if (savepointPath != null) {
      savepointPath = LocationArgument.require(savepointPath, "savepoint path (-s)");
    }
    RestClient client = cluster.client(context.env());
    String jarId = client.uploadJar(jar).path("filename").asText();
    String jobId = client.post("/jars/" + jarId + "/run", runBody()).path("jobid").asText();
    context.out().println("Job has been submitted with JobID " + jobId);
    context.out().flush();
    if (detached) {
      return 0;
    }
    return follow(client, jobId);
  }

  private ObjectNode runBody() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (entryClass != null) {
      body.put("entryClass", entryClass);
    }
    if (parallelism != null) {
      body.put("parallelism", parallelism);
    }
    args.forEach(body.putArray("programArgsList")::add);
    if (savepointPath != null) {
      body.put("savepointPath", savepointPath);
    }
    return body;
  }

  private int follow(RestClient client, String jobId) throws InterruptedException {
    String lastLine = null;
    long lastPrinted = 0;
    while (true) {
      JsonNode job = client.get("/jobs/" + jobId);
      String state = job.path("state").asText();
      String line = progress(job);
      long now = context.clock().millis();
      if (!line.equals(lastLine) || now - lastPrinted >= REPEAT_PROGRESS.toMillis()) {
        context.out().println(line);
        context.out().flush();
        lastLine = line;
        lastPrinted = now;
      }
      switch (state) {
        case "FINISHED" -> {
          context.out().println("Job " + jobId + " has finished.");
          return 0;
        }
        case "FAILED" ->
            throw new CliException(
                "job "
                    + jobId
                    + " failed: "
                    + RestClient.firstLine(job.path("failure-cause").asText("unknown cause")));
        case "CANCELED" -> throw new CliException("job " + jobId + " was canceled");
        default -> context.awaitNextPoll();
      }
    }
  }

  /** "RUNNING tasks running 2/3, records in 120 out 80". */
  static String progress(JsonNode job) {
    int total = 0;
    for (JsonNode count : job.path("status-counts")) {
      total += count.asInt();
    }
    long in = 0;
    long out = 0;
    for (JsonNode vertex : job.path("vertices")) {
      in += vertex.path("metrics").path("read-records").asLong();
      out += vertex.path("metrics").path("write-records").asLong();
    }
    return job.path("state").asText()
        + " tasks running "
        + job.path("status-counts").path("RUNNING").asInt()
        + "/"
        + total
        + ", records in "
        + in
        + " out "
        + out;
  }
}
