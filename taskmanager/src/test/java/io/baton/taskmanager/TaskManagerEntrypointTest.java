package io.baton.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.TaskManagerOptions;
import io.baton.taskmanager.network.GrpcNetworkEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskManagerEntrypointTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private String errLines() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  private int run(Function<String, String> env, String... args) {
    return TaskManagerEntrypoint.run(
        args,
        env,
        err,
        config -> TaskManager.start(config, GrpcNetworkEnvironment::new, new FakeTasks()));
  }

  @Test
  void anUnknownKeyOnTheCommandLineStopsStartUpWithOneLine() {
    int exitCode =
        run(
            Map.<String, String>of()::get,
            "--configDir",
            tmp.toString(),
            "-Dtaskmanager.numberOfSlots=2");

    assertThat(exitCode).isEqualTo(1);
    assertThat(errLines())
        .isEqualTo(
            "baton taskmanager: unknown configuration key 'taskmanager.numberOfSlots' in the"
                + " command line"
                + System.lineSeparator());
  }

  @Test
  void anUnknownKeyInTheConfigFileFoundThroughTheEnvironmentStopsStartUpWithOneLine()
      throws IOException {
    Path file = tmp.resolve("baton-conf.yaml");
    Files.writeString(file, "taskmanager:\n  numberOfTaskSlots: 2\n  slots: 4\n");

    int exitCode = run(Map.of("BATON_CONF_DIR", tmp.toString())::get);

    assertThat(exitCode).isEqualTo(1);
    assertThat(errLines())
        .isEqualTo(
            "baton taskmanager: unknown configuration key 'taskmanager.slots' in "
                + file
                + System.lineSeparator());
  }

  @Test
  void aBadValueOrArgumentStopsStartUpWithOneLine() {
    int badValue =
        run(
            Map.<String, String>of()::get,
            "--configDir",
            tmp.toString(),
            "-Dheartbeat.interval=often");
    int badArgument = run(Map.<String, String>of()::get, "--configDir", tmp.toString(), "--slots");

    assertThat(badValue).isEqualTo(1);
    assertThat(badArgument).isEqualTo(1);
    assertThat(errLines().lines())
        .containsExactly(
            "baton taskmanager: invalid value 'often' for configuration key 'heartbeat.interval':"
                + " expected Duration (like '500 ms', '10 s', '2 min') in the command line",
            "baton taskmanager: unknown argument '--slots'; usage: taskmanager [--configDir DIR]"
                + " [-Dkey=value ...]");
  }

  @Test
  void aResourceIdThatIsNoTaskManagerIdStopsStartUpWithOneLine() {
    int exitCode =
        run(
            Map.<String, String>of()::get,
            "--configDir",
            tmp.toString(),
            "-Dtaskmanager.resource-id=../../etc");

    assertThat(exitCode).isEqualTo(1);
    assertThat(errLines().lines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("baton taskmanager: invalid value '../../etc' for configuration key")
        .contains("'taskmanager.resource-id'")
        .contains("32 lower-case hex digits");
  }

  @Test
  void aTakenRpcPortStopsStartUpWithOneLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      int exitCode =
          run(
              Map.<String, String>of()::get,
              "--configDir",
              tmp.toString(),
              "-Dtaskmanager.bind-host=127.0.0.1",
              "-Dtaskmanager.rpc.port=" + port,
              "-Djobmanager.rpc.port=" + FakeJobManager.freePort(),
              "-Dio.tmp.dirs=" + tmp);

      assertThat(exitCode).isEqualTo(1);
      assertThat(errLines())
          .isEqualTo(
              "baton taskmanager: taskmanager.rpc.port "
                  + port
                  + " is already in use"
                  + System.lineSeparator());

      Configuration config =
          TestConfigs.taskManager(FakeJobManager.freePort(), tmp)
              .set(TaskManagerOptions.RPC_PORT, port);
      assertThatThrownBy(() -> TaskManager.start(config))
          .isInstanceOf(TaskManagerStartupException.class)
          .hasMessage("taskmanager.rpc.port " + port + " is already in use");
    }
  }

  @Test
  void exitsWithOneLineWhenItCannotRegisterInTime() {
    int nobody = FakeJobManager.freePort();

    int exitCode =
        run(
            Map.<String, String>of()::get,
            "--configDir",
            tmp.toString(),
            "-Dtaskmanager.bind-host=127.0.0.1",
            "-Djobmanager.rpc.address=127.0.0.1",
            "-Djobmanager.rpc.port=" + nobody,
            "-Dtaskmanager.registration.timeout=500 ms",
            "-Dio.tmp.dirs=" + tmp);

    assertThat(exitCode).isEqualTo(1);
    assertThat(errLines().lines())
        .singleElement()
        .asString()
        .startsWith(
            "baton taskmanager: could not register at the JobManager at 127.0.0.1:"
                + nobody
                + " within taskmanager.registration.timeout (500 ms): ")
        .containsAnyOf("UNAVAILABLE", "DEADLINE_EXCEEDED");
  }

  @Test
  void anUnreachableZooKeeperQuorumStopsStartUpWithOneLine() {
    int nobody = FakeJobManager.freePort();

    int exitCode =
        run(
            Map.<String, String>of()::get,
            "--configDir",
            tmp.toString(),
            "-Dtaskmanager.bind-host=127.0.0.1",
            "-Dtaskmanager.rpc.port=0",
            "-Dhigh-availability.type=zookeeper",
            "-Dhigh-availability.zookeeper.quorum=127.0.0.1:" + nobody,
            "-Dhigh-availability.zookeeper.client.connection-timeout=500 ms",
            "-Dhigh-availability.zookeeper.client.max-retry-attempts=0",
            "-Dio.tmp.dirs=" + tmp);

    assertThat(exitCode).isEqualTo(1);
    assertThat(errLines())
        .isEqualTo(
            "baton taskmanager: Cannot reach ZooKeeper quorum '127.0.0.1:"
                + nobody
                + "' (high-availability.zookeeper.quorum) within 500 ms"
                + " (high-availability.zookeeper.client.connection-timeout)"
                + System.lineSeparator());
  }
}
