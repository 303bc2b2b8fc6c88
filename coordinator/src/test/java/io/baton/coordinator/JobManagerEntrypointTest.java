package io.baton.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobManagerEntrypointTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private JobManagerEntrypoint entrypoint(Map<String, String> env) {
    return new JobManagerEntrypoint(
        new PrintStream(errBytes, true, StandardCharsets.UTF_8),
        env,
        config -> new TempDirBlobStore(Files.createDirectories(dir.resolve("blobs"))),
        RestEndpoint.none());
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void highAvailabilityWithoutAStorageDirOrAReachableQuorumStopsStartUpWithOneLine()
      throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String[] ha = {
      "--configDir",
      dir.toString(),
      "-Dhigh-availability.type=zookeeper",
      "-Dhigh-availability.zookeeper.quorum=127.0.0.1:" + port,
      "-Dhigh-availability.zookeeper.client.connection-timeout=1 s",
      "-Dhigh-availability.zookeeper.client.max-retry-attempts=1",
      "-Dhigh-availability.zookeeper.client.retry-wait=100 ms",
      "-Djobmanager.bind-host=127.0.0.1",
      "-Djobmanager.rpc.port=0"
    };

    assertThat(entrypoint(Map.of()).run(ha)).isEqualTo(1);
    assertThat(err().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("baton jobmanager: high-availability.storageDir is required"));

    errBytes.reset();
    String[] withStorage = java.util.Arrays.copyOf(ha, ha.length + 1);
    withStorage[ha.length] = "-Dhigh-availability.storageDir=" + dir.resolve("ha").toUri();
    assertThat(entrypoint(Map.of()).run(withStorage)).isEqualTo(1);
    assertThat(err().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("baton jobmanager: ")
                    .contains("127.0.0.1:" + port)
                    .contains("high-availability.zookeeper.quorum")
                    .contains("2 attempts 100 ms apart"));
  }

  @Test
  void anUnknownKeyStopsStartUpWithOneLine() {
    int code = entrypoint(Map.of()).run("--configDir", dir.toString(), "-Dno.such.key=1");

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "baton jobmanager: unknown configuration key 'no.such.key' in the command line"
                + System.lineSeparator());
  }

  @Test
  void aBadValueInTheConfigFileNamesFileAndKey() throws Exception {
    Files.writeString(dir.resolve("baton-conf.yaml"), "heartbeat.interval: often\n");

    int code = entrypoint(Map.of()).run("--configDir", dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith(
                        "baton jobmanager: invalid value 'often' for configuration key 'heartbeat.interval'")
                    .contains("baton-conf.yaml"));
  }

  @Test
  void aHeartbeatTimeoutShorterThanTheIntervalIsRefused() {
    int code =
        entrypoint(Map.of())
            .run(
                "--configDir",
                dir.toString(),
                "-Dheartbeat.interval=2 s",
                "-Dheartbeat.timeout=1 s");

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "baton jobmanager: configuration key 'heartbeat.timeout' (1 s) must be longer than"
                + " 'heartbeat.interval' (2 s)"
                + System.lineSeparator());
  }

  @Test
  void aMissingConfigDirectoryFromTheEnvironmentIsNamed() {
    Path missing = dir.resolve("nope");

    int code = entrypoint(Map.of("BATON_CONF_DIR", missing.toString())).run();

    assertThat(code).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "baton jobmanager: configuration directory "
                + missing
                + " does not exist"
                + System.lineSeparator());
  }

  @Test
  void aTakenPortStopsStartUpWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      int code =
          entrypoint(Map.of())
              .run(
                  "--configDir",
                  dir.toString(),
                  "-Djobmanager.bind-host=127.0.0.1",
                  "-Djobmanager.rpc.port=" + port);

      assertThat(code).isEqualTo(1);
      assertThat(err())
          .isEqualTo(
              "baton jobmanager: jobmanager.rpc.port "
                  + port
                  + " is already in use"
                  + System.lineSeparator());
    }
  }

  @Test
  void unusableCheckpointStorageStopsStartUpWithOneLine() {
    int unknownScheme =
        entrypoint(Map.of())
            .run(
                "--configDir",
                dir.toString(),
                "-Djobmanager.bind-host=127.0.0.1",
                "-Djobmanager.rpc.port=0",
                "-Drest.port=0",
                "-Dstate.checkpoints.dir=ftp://archive/checkpoints");

    assertThat(unknownScheme).isEqualTo(1);
    assertThat(err().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith(
                        "baton jobmanager: cannot use state.checkpoints.dir ftp://archive/checkpoints:")
                    .contains("scheme"));
  }

  @Test
  void anUnknownArgumentIsRejected() {
    int code = entrypoint(Map.of()).run("--bogus");

    assertThat(code).isEqualTo(1);
    assertThat(err().lines())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("baton jobmanager: ").contains("--bogus"));
  }

  @Test
  void aGoodConfigurationStartsTheJobManager() throws Exception {
    Files.writeString(
        dir.resolve("baton-conf.yaml"),
        "jobmanager:\n  bind-host: 127.0.0.1\n  rpc:\n    port: 0\n");
    JobManagerEntrypoint entrypoint = entrypoint(Map.of("BATON_CONF_DIR", dir.toString()));

    int code = entrypoint.run("-Dheartbeat.interval=1 s");

    try (JobManager jm = entrypoint.jobManager()) {
      assertThat(code).isZero();
      assertThat(err()).isEmpty();
      assertThat(jm.rpcPort()).isPositive();
      assertThat(jm.restPort()).isEqualTo(-1);
    }
  }
}
