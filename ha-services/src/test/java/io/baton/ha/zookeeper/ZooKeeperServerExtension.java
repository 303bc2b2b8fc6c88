package io.baton.ha.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real ZooKeeper server for a test class and the clients its tests open against it.
 *
 * <p>Register it on a static field with {@code @RegisterExtension}: the server starts before the
 * class's first test and closes after its last; every client handed out during a test is closed
 * after the test's own {@code @AfterEach} methods, so what a test built on a client is gone before
 * the client is.
 */
final class ZooKeeperServerExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final int SESSION_MS = 5_000;
  private static final int CONNECTION_MS = 3_000;

  private final int tickMs;
  private final List<CuratorFramework> clients = new ArrayList<>();
  private TestingServer server;

  /** A server with ZooKeeper's default tick. */
  ZooKeeperServerExtension() {
    this(-1);
  }

  /**
   * A server with the given tick: ZooKeeper grants sessions of up to 20 ticks, so a test of long
   * sessions needs a longer tick than the default.
   */
  static ZooKeeperServerExtension withTickMs(int tickMs) {
    return new ZooKeeperServerExtension(tickMs);
  }

  private ZooKeeperServerExtension(int tickMs) {
    this.tickMs = tickMs;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, tickMs, -1), true);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (int i = clients.size() - 1; i >= 0; i--) {
      clients.get(i).close();
    }
    clients.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    server.close();
  }

  /** Where the server listens, as a ZooKeeper connect string. */
  String connectString() {
    return server.getConnectString();
  }

  /** A started client with a 5 s session, closed after the test. */
  CuratorFramework newClient() {
    return newClient(SESSION_MS, CONNECTION_MS);
  }

  /** A started client with the given timeouts, closed after the test. */
  CuratorFramework newClient(int sessionMs, int connectionMs) {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(
            connectString(), sessionMs, connectionMs, new RetryOneTime(100));
    client.start();
    clients.add(client);
    return client;
  }

  /** A client as {@link #newClient()} that is connected already when returned. */
  CuratorFramework connectedClient() throws InterruptedException {
    CuratorFramework client = newClient();
    if (!client.blockUntilConnected((int) TestLeader.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("no connection to ZooKeeper at " + connectString());
    }
    return client;
  }
}
