package io.baton.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Real ZooKeeper servers in the test JVM (curator-test): one {@link TestingServer}, or a
 * three-server {@link TestingCluster} whose servers a test can kill and restart to lose and regain
 * the quorum. Sessions may last from 1 s to 2 min, so tests can use short session timeouts and
 * benchmarks Baton's default of 60 s. Also the test's own look at the znodes.
 */
final class ZooKeeperEnsemble implements AutoCloseable {
  // 250 ms ticks: session expiry is checked per tick, so a 3 s session expires within ~3.25 s
  private static final int TICK_MS = 250;
  private static final Map<String, Object> SERVER_PROPERTIES =
      Map.of(
          "minSessionTimeout", "1000",
          "maxSessionTimeout", "120000",
          "4lw.commands.whitelist", "*");

  private final TestingServer server;
  private final TestingCluster cluster;
  // a server in a JVM of its own (SASL), and its address
  private final JvmProcess process;
  private final String processConnectString;
  private final List<InstanceSpec> killed = new ArrayList<>();
  private CuratorFramework client;

  private ZooKeeperEnsemble(TestingServer server, TestingCluster cluster) {
    this(server, cluster, null, null);
  }

  private ZooKeeperEnsemble(
      TestingServer server,
      TestingCluster cluster,
      JvmProcess process,
      String processConnectString) {
    this.server = server;
    this.cluster = cluster;
    this.process = process;
    this.processConnectString = processConnectString;
  }

  /** One started server. */
  static ZooKeeperEnsemble single() throws Exception {
    return new ZooKeeperEnsemble(new TestingServer(spec(), true), null);
  }

  /** A started ensemble of three servers. */
  static ZooKeeperEnsemble ofThree() throws Exception {
    TestingCluster cluster = new TestingCluster(spec(), spec(), spec());
    try {
      cluster.start();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new ZooKeeperEnsemble(null, cluster);
  }

  /**
   * One server in a JVM of its own that authenticates clients with SASL: its JAAS file's {@code
   * Server} section says who may log in (DIGEST-MD5: {@code user_<name>="<password>"}). The test's
   * own {@link #client} stays anonymous, as an outsider on a shared ensemble is.
   */
  static ZooKeeperEnsemble withSasl(Path workDir, Path serverJaas) throws Exception {
    int port = InstanceSpec.getRandomPort();
    Path dataDir = Files.createDirectories(workDir.resolve("sasl-zookeeper-data"));
    JvmProcess process =
        JvmProcess.start(
            "sasl-zookeeper",
            SaslZooKeeperServerMain.class.getName(),
            workDir.resolve("sasl-zookeeper-logs"),
            List.of(
                "-Xmx128m",
                "-Djava.security.auth.login.config=" + serverJaas,
                "-Dzookeeper.authProvider.1="
                    + "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"),
            List.of(Integer.toString(port), dataDir.toString()));
    try {
      Awaits.until(
          "the SASL ZooKeeper server to start (log " + process.logFile() + ")",
          Duration.ofSeconds(60),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "the SASL ZooKeeper server exited: " + process.logText());
            }
            return process.logText().contains(SaslZooKeeperServerMain.READY);
          });
    } catch (RuntimeException | Error e) {
      process.kill();
      throw e;
    }
    return new ZooKeeperEnsemble(null, null, process, "127.0.0.1:" + port);
  }

  private static InstanceSpec spec() {
    return new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MS, -1, SERVER_PROPERTIES);
  }

  /** The connect string for {@code high-availability.zookeeper.quorum}. */
  String connectString() {
    if (process != null) {
      return processConnectString;
    }
    return server != null ? server.getConnectString() : cluster.getConnectString();
  }

  /** Kills {@code count} servers of the ensemble (the quorum is lost when two of three are). */
  void killServers(int count) throws Exception {
    List<InstanceSpec> running = new ArrayList<>(cluster.getInstances());
    running.removeAll(killed);
    for (int i = 0; i < count; i++) {
      InstanceSpec victim = running.get(i);
      if (!cluster.killServer(victim)) {
        throw new IllegalStateException("could not kill ZooKeeper server " + victim);
      }
      killed.add(victim);
    }
  }

  /** Restarts every server {@link #killServers} killed. */
  void restartKilledServers() throws Exception {
    for (InstanceSpec spec : killed) {
      if (!cluster.restartServer(spec)) {
        throw new IllegalStateException("could not restart ZooKeeper server " + spec);
      }
    }
    killed.clear();
  }

  /** A started client of the test's own, for reading what Baton wrote. */
  synchronized CuratorFramework client() throws InterruptedException {
    if (client == null) {
      client =
          CuratorFrameworkFactory.builder()
              .connectString(connectString())
              .sessionTimeoutMs(30_000)
              .connectionTimeoutMs(5_000)
              .retryPolicy(new RetryOneTime(200))
              .build();
      client.start();
      if (!client.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("cannot reach ZooKeeper at " + connectString());
      }
    }
    return client;
  }

  /** Every znode under {@code root} (itself included) with its data as UTF-8 text. */
  Map<String, String> tree(String root) throws Exception {
    Map<String, String> nodes = new TreeMap<>();
    collect(root, nodes);
    return nodes;
  }

  private void collect(String path, Map<String, String> nodes) throws Exception {
    byte[] data;
    List<String> children;
    try {
      data = client().getData().forPath(path);
      children = client().getChildren().forPath(path);
    } catch (KeeperException.NoNodeException gone) {
      return;
    }
    nodes.put(path, data == null ? "" : new String(data, StandardCharsets.UTF_8));
    for (String child : children) {
      collect(path.equals("/") ? "/" + child : path + "/" + child, nodes);
    }
  }

  /** The data of {@code path} as UTF-8 text, or null when there is no such znode. */
  String data(String path) throws Exception {
    try {
      byte[] data = client().getData().forPath(path);
      return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    } catch (KeeperException.NoNodeException gone) {
      return null;
    }
  }

  /**
   * The ensemble's latest transaction id: every write (create, set, delete, multi, session
   * open/close) moves it by one. Read by writing a scratch znode, so the read itself counts one.
   */
  long lastZxid() throws Exception {
    String scratch = "/baton-it-zxid-probe";
    Stat stat = client().checkExists().forPath(scratch);
    if (stat == null) {
      client().create().forPath(scratch);
    }
    return client().setData().forPath(scratch, new byte[0]).getMzxid();
  }

  /**
   * The first server's {@code mntr} four-letter-word answer ({@code zk_packets_received}, ...), as
   * an operator's monitoring reads it.
   */
  Map<String, String> mntr() throws IOException {
    String first = connectString().split(",")[0];
    int colon = first.lastIndexOf(':');
    Map<String, String> metrics = new TreeMap<>();
    try (java.net.Socket socket =
        new java.net.Socket(
            first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)))) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("mntr".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      for (String line : answer.split("\n")) {
        String[] kv = line.split("\t", 2);
        if (kv.length == 2) {
          metrics.put(kv[0].trim(), kv[1].trim());
        }
      }
    }
    return metrics;
  }

  @Override
  public void close() throws Exception {
    if (client != null) {
      client.close();
    }
    if (process != null) {
      process.close();
    }
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** How many servers of the ensemble run now (three less those {@link #killServers} killed). */
  int runningServers() {
    if (cluster == null) {
      return process == null || process.isAlive() ? 1 : 0;
    }
    return cluster.getInstances().size() - killed.size();
  }

  /**
   * The ZooKeeper session that owns the ephemeral znode {@code path} (a leader's {@code
   * leader/info}, a latch participant), or 0 when there is no such znode or it is not ephemeral.
   */
  long ephemeralOwner(String path) throws Exception {
    Stat stat = client().checkExists().forPath(path);
    return stat == null ? 0 : stat.getEphemeralOwner();
  }

  /**
   * Completes with {@link System#nanoTime()} at the moment ZooKeeper reports {@code path} deleted
   * (at once when it is already gone): when a dead leader lost its latch node, measured by the
   * ensemble, not by a test's polling.
   */
  CompletableFuture<Long> whenDeleted(String path) throws Exception {
    CompletableFuture<Long> deleted = new CompletableFuture<>();
    Watcher watcher =
        event -> {
          if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            deleted.complete(System.nanoTime());
          }
        };
    if (client().checkExists().usingWatcher(watcher).forPath(path) == null) {
      deleted.complete(System.nanoTime());
    }
    return deleted;
  }

  /**
   * Kills the one server of the ensemble that {@code sessionId}'s client is connected to, found as
   * an operator finds it: by the {@code cons} four-letter word of each running server. The client
   * then reconnects to another server within its session.
   *
   * @return the killed server's client address (host:port)
   * @throws IllegalStateException when no running server serves that session
   */
  String killServerServing(long sessionId) throws Exception {
    String sid = "sid=0x" + Long.toHexString(sessionId);
    List<InstanceSpec> running = new ArrayList<>(cluster.getInstances());
    running.removeAll(killed);
    for (InstanceSpec spec : running) {
      String address = "127.0.0.1:" + spec.getPort();
      String connections;
      try {
        connections = fourLetterWord(address, "cons");
      } catch (IOException notAnswering) {
        continue;
      }
      // a sid is a prefix of no other: "sid=0x1a," or "sid=0x1a)"
      if (connections.contains(sid + ",") || connections.contains(sid + ")")) {
        if (!cluster.killServer(spec)) {
          throw new IllegalStateException("could not kill ZooKeeper server " + spec);
        }
        killed.add(spec);
        return address;
      }
    }
    throw new IllegalStateException(
        "no running ZooKeeper server serves session 0x" + Long.toHexString(sessionId));
  }

  private static String fourLetterWord(String hostPort, String word) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    try (java.net.Socket socket =
        new java.net.Socket(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Kills the {@code index}-th of the running servers (in the ensemble's order); {@link
   * #restartKilledServers} brings it back.
   *
   * @return the killed server's client address (host:port)
   */
  String killServer(int index) throws Exception {
    List<InstanceSpec> running = new ArrayList<>(cluster.getInstances());
    running.removeAll(killed);
    InstanceSpec victim = running.get(index);
    if (!cluster.killServer(victim)) {
      throw new IllegalStateException("could not kill ZooKeeper server " + victim);
    }
    killed.add(victim);
    return "127.0.0.1:" + victim.getPort();
  }
}
