package io.baton.ha.embedded;

import io.baton.common.config.ErrorLines;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.server.DatadirCleanupManager;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One standalone ZooKeeper server (the zookeeper artifact's {@link ZooKeeperServerMain}) bound to
 * one address, serving on a thread of its own until {@link #close()}. The admin server is off and
 * only the four-letter commands {@value #FOUR_LETTER_WORDS} answer.
 */
final class StandaloneZooKeeperServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneZooKeeperServer.class);

  static final String FOUR_LETTER_WORDS = "ruok,srvr,stat,mntr";
  // A short tick, and session bounds wide enough that a client's own
  // high-availability.zookeeper.client.session-timeout (2 s ... minutes) is granted as asked.
  private static final int TICK_MS = 500;
  private static final int MIN_SESSION_TIMEOUT_MS = 1_000;
  private static final int MAX_SESSION_TIMEOUT_MS = 600_000;
  // Old snapshots and transaction logs are purged hourly, the newest three kept.
  private static final int SNAPSHOTS_RETAINED = 3;
  private static final int PURGE_INTERVAL_HOURS = 1;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Runner runner;
  private final Thread thread;
  private final DatadirCleanupManager purge;
  private final CompletableFuture<Void> terminated;
  private final InetSocketAddress address;
  private volatile boolean closing;

  private StandaloneZooKeeperServer(
      Runner runner,
      Thread thread,
      DatadirCleanupManager purge,
      CompletableFuture<Void> terminated,
      InetSocketAddress address) {
    this.runner = runner;
    this.thread = thread;
    this.purge = purge;
    this.terminated = terminated;
    this.address = address;
  }

  /**
   * Starts a server on {@code bindAddress:port} (port 0 picks a free one) keeping its snapshots and
   * transaction logs in {@code dataDir} (created if missing), and returns once it serves.
   *
   * @throws ZooKeeperStartException with one line naming the port or directory that is wrong
   */
  static StandaloneZooKeeperServer start(
      InetAddress bindAddress, int port, Path dataDir, Duration startTimeout)
      throws ZooKeeperStartException, InterruptedException {
    Path dir = prepareDataDir(dataDir);
    InetSocketAddress requested = new InetSocketAddress(bindAddress, port);
    ServerConfig config = serverConfig(dir, requested);

    Runner runner = new Runner();
    CompletableFuture<Void> terminated = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                runner.runFromConfig(config);
                terminated.complete(null);
              } catch (Throwable e) {
                terminated.completeExceptionally(e);
              } finally {
                runner.started.completeExceptionally(
                    new IllegalStateException("the server stopped before it served"));
              }
            },
            "baton-zookeeper-server");
    thread.setDaemon(false);
    DatadirCleanupManager purge =
        new DatadirCleanupManager(
            dir.toFile(), dir.toFile(), SNAPSHOTS_RETAINED, PURGE_INTERVAL_HOURS);
    thread.start();

    int boundPort;
    try {
      boundPort = runner.started.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = terminated.isCompletedExceptionally() ? failure(terminated) : e.getCause();
      runner.close();
      thread.join(STOP_TIMEOUT.toMillis());
      throw describe(cause, requested, dir);
    } catch (TimeoutException e) {
      runner.close();
      thread.join(STOP_TIMEOUT.toMillis());
      throw new ZooKeeperStartException(
          "ZooKeeper on "
              + hostPort(requested)
              + " did not start within "
              + startTimeout.toSeconds()
              + " s",
          false,
          e);
    }
    purge.start();
    InetSocketAddress bound = new InetSocketAddress(bindAddress, boundPort);
    LOG.info("ZooKeeper serves on {}, data in {}", hostPort(bound), dir);
    return new StandaloneZooKeeperServer(runner, thread, purge, terminated, bound);
  }

  /** The client port the server listens on. */
  int port() {
    return address.getPort();
  }

  /** {@code host:port} clients connect to. */
  String connectString() {
    return hostPort(address);
  }

  /**
   * Blocks until the server stopped.
   *
   * @throws IllegalStateException when it stopped without {@link #close()} being called, naming why
   */
  void awaitTermination() throws InterruptedException {
    try {
      terminated.get();
    } catch (ExecutionException e) {
      if (!closing) {
        throw new IllegalStateException("ZooKeeper stopped: " + oneLine(e.getCause()), e);
      }
      return;
    }
    if (!closing) {
      throw new IllegalStateException("ZooKeeper stopped on its own; see its log");
    }
  }

  /** Stops serving (connected clients lose their connection) and waits for the server thread. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    LOG.info("Stopping ZooKeeper on {}", hostPort(address));
    purge.shutdown();
    runner.close();
    try {
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("ZooKeeper server thread still runs {} s after stop", STOP_TIMEOUT.toSeconds());
    }
  }

  private static Path prepareDataDir(Path dataDir) throws ZooKeeperStartException {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (AccessDeniedException e) {
      throw new ZooKeeperStartException(
          "cannot create data directory " + dir + ": permission denied on " + e.getFile(),
          false,
          e);
    } catch (IOException e) {
      Path blocker = existingNonDirectory(dir);
      String why = blocker != null ? blocker + " is not a directory" : oneLine(e);
      throw new ZooKeeperStartException(
          "cannot create data directory " + dir + ": " + why, false, e);
    }
    if (!Files.isDirectory(dir)) {
      throw new ZooKeeperStartException(
          "data directory " + dir + " is not a directory", false, null);
    }
    if (!Files.isWritable(dir)) {
      throw new ZooKeeperStartException("data directory " + dir + " is not writable", false, null);
    }
    return dir;
  }

  /** The path or the nearest ancestor of it that exists but is no directory, else null. */
  private static Path existingNonDirectory(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? null : p;
      }
    }
    return null;
  }

  private static ServerConfig serverConfig(Path dataDir, InetSocketAddress address)
      throws ZooKeeperStartException {
    Properties properties = new Properties();
    properties.setProperty("dataDir", dataDir.toString());
    properties.setProperty("tickTime", Integer.toString(TICK_MS));
    properties.setProperty("minSessionTimeout", Integer.toString(MIN_SESSION_TIMEOUT_MS));
    properties.setProperty("maxSessionTimeout", Integer.toString(MAX_SESSION_TIMEOUT_MS));
    // ZooKeeper turns these two into the JVM-wide properties zookeeper.admin.enableServer and
    // zookeeper.4lw.commands.whitelist: this process runs nothing but this server.
    properties.setProperty("admin.enableServer", "false");
    properties.setProperty("4lw.commands.whitelist", FOUR_LETTER_WORDS);
    QuorumPeerConfig quorumConfig = new QuorumPeerConfig();
    try {
      quorumConfig.parseProperties(properties);
    } catch (IOException | QuorumPeerConfig.ConfigException e) {
      throw new ZooKeeperStartException(
          "bad ZooKeeper server configuration: " + oneLine(e), false, e);
    }
    // The whitelist is read once per JVM; a server started after another sees this one's.
    FourLetterCommands.resetWhiteList();
    return new LoopbackServerConfig(quorumConfig, address);
  }

  private static ZooKeeperStartException describe(
      Throwable cause, InetSocketAddress address, Path dataDir) {
    if (cause instanceof BindException) {
      return new ZooKeeperStartException(
          "port "
              + address.getPort()
              + " on "
              + address.getAddress().getHostAddress()
              + " is already in use",
          true,
          cause);
    }
    if (cause instanceof FileTxnSnapLog.DatadirException) {
      return new ZooKeeperStartException(
          "cannot use data directory " + dataDir + ": " + oneLine(cause), false, cause);
    }
    return new ZooKeeperStartException(
        "ZooKeeper on " + hostPort(address) + " did not start: " + oneLine(cause), false, cause);
  }

  private static Throwable failure(CompletableFuture<Void> future) {
    try {
      future.getNow(null);
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private static String oneLine(Throwable e) {
    if (e == null) {
      return "unknown cause";
    }
    return ErrorLines.firstLine(e);
  }

  /** Reports the bound port once ZooKeeper serves. */
  private static final class Runner extends ZooKeeperServerMain {
    final CompletableFuture<Integer> started = new CompletableFuture<>();

    @Override
    protected void serverStarted() {
      started.complete(getClientPort());
    }
  }

  /** ZooKeeper's standalone settings with the client address set directly (port 0 allowed). */
  private static final class LoopbackServerConfig extends ServerConfig {
    LoopbackServerConfig(QuorumPeerConfig from, InetSocketAddress clientAddress) {
      readFrom(from);
      clientPortAddress = clientAddress;
    }
  }
}
