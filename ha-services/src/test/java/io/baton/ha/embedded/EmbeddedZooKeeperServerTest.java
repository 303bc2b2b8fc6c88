package io.baton.ha.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server started as bin/zookeeper.sh starts it, in this JVM. */
class EmbeddedZooKeeperServerTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String PORT_KEY = "high-availability.zookeeper.embedded.port";

  @TempDir Path tmp;
  private Path confDir;
  private final List<StandaloneZooKeeperServer> servers = new ArrayList<>();
  private final List<CuratorFramework> clients = new ArrayList<>();

  @BeforeEach
  void writeConf() throws IOException {
    confDir = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(
        confDir.resolve("baton-conf.yaml"),
        "high-availability.type: zookeeper\nhigh-availability.zookeeper.quorum: embedded\n");
  }

  @AfterEach
  void stopAll() {
    clients.forEach(CuratorFramework::close);
    servers.forEach(StandaloneZooKeeperServer::close);
  }

  @Test
  void servesClientsOnLoopbackAndKeepsItsDataAcrossRestarts() throws Exception {
    Path dataDir = tmp.resolve("dist/data/zookeeper");
    Started first = start("--dataDir", dataDir.toString(), "-D" + PORT_KEY + "=0");

    assertThat(first.code).isZero();
    int port = first.server.port();
    assertThat(first.out).contains("ZooKeeper serving on 127.0.0.1:" + port);
    CuratorFramework client = connect(port);
    client
        .create()
        .creatingParentsIfNeeded()
        .forPath("/baton/default/probe", "hello".getBytes(UTF_8));
    assertThat(new String(client.getData().forPath("/baton/default/probe"), UTF_8))
        .isEqualTo("hello");
    assertThat(fourLetterWord(port, "ruok")).isEqualTo("imok");
    assertThat(fourLetterWord(port, "mntr")).contains("zk_server_state\tstandalone");
    assertThat(fourLetterWord(port, "srvr")).contains("Mode: standalone");
    // not whitelisted: ZooKeeper refuses it
    assertThat(fourLetterWord(port, "dump")).contains("not in the whitelist");

    client.close();
    first.server.close();
    Started second = start("--dataDir", dataDir.toString(), "-D" + PORT_KEY + "=0");

    assertThat(second.code).isZero();
    CuratorFramework again = connect(second.server.port());
    assertThat(new String(again.getData().forPath("/baton/default/probe"), UTF_8))
        .isEqualTo("hello");
  }

  @Test
  void aSecondServerOnTheSamePortFailsWithOneLine() throws Exception {
    Started first = start("--dataDir", tmp.resolve("a").toString(), "-D" + PORT_KEY + "=0");
    int port = first.server.port();

    Started second = start("--dataDir", tmp.resolve("b").toString(), "-D" + PORT_KEY + "=" + port);

    assertThat(second.code).isEqualTo(1);
    assertThat(second.server).isNull();
    assertThat(second.err)
        .isEqualTo(
            "baton zookeeper: port "
                + port
                + " on 127.0.0.1 is already in use ("
                + PORT_KEY
                + ")\n");
    assertThat(fourLetterWord(port, "ruok")).isEqualTo("imok");
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedFailsWithOneLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    Path dataDir = file.resolve("zookeeper");

    Started started = start("--dataDir", dataDir.toString(), "-D" + PORT_KEY + "=0");

    assertThat(started.code).isEqualTo(1);
    assertThat(started.err)
        .isEqualTo(
            "baton zookeeper: cannot create data directory "
                + dataDir
                + ": "
                + file
                + " is not a directory\n");
  }

  @Test
  void aBadPortNamesTheKey() {
    Started started =
        start("--dataDir", tmp.resolve("d").toString(), "-D" + PORT_KEY + "=twenty-one");

    assertThat(started.code).isEqualTo(1);
    assertThat(started.err)
        .isEqualTo(
            "baton zookeeper: invalid value 'twenty-one' for configuration key '"
                + PORT_KEY
                + "': allowed range is 0..65535 in the command line\n");
  }

  @Test
  void aMissingDataDirOptionIsOneLine() {
    Started started = start("-D" + PORT_KEY + "=0");

    assertThat(started.code).isEqualTo(1);
    assertThat(started.err).startsWith("baton zookeeper: Missing required option: '--dataDir");
    assertThat(started.err.lines()).hasSize(1);
  }

  private Started start(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    EmbeddedZooKeeperServer command =
        new EmbeddedZooKeeperServer(
            new PrintStream(out, true, UTF_8),
            new PrintStream(err, true, UTF_8),
            Map.of(),
            START_TIMEOUT);
    List<String> all = new ArrayList<>(List.of("--configDir", confDir.toString()));
    all.addAll(List.of(args));
    int code = command.run(all.toArray(String[]::new));
    if (command.server() != null) {
      servers.add(command.server());
    }
    return new Started(code, command.server(), out.toString(UTF_8), err.toString(UTF_8));
  }

  private CuratorFramework connect(int port) throws InterruptedException {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient("127.0.0.1:" + port, new RetryOneTime(100));
    clients.add(client);
    client.start();
    assertThat(client.blockUntilConnected(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return client;
  }

  /** Sends a four-letter command and returns the whole answer (the server closes after it). */
  static String fourLetterWord(int port, String word) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private record Started(int code, StandaloneZooKeeperServer server, String out, String err) {}
}
