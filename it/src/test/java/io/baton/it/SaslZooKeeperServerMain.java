package io.baton.it;

import java.io.File;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A ZooKeeper server (curator-test's {@link TestingServer}) that authenticates clients with SASL,
 * run in a JVM of its own by {@link ZooKeeperEnsemble#withSasl}: JAAS is configured JVM-wide, so it
 * must not share a JVM with the other tests' servers and clients. The JVM is started with {@code
 * -Djava.security.auth.login.config} naming a {@code Server} section and with the SASL
 * authentication provider; it serves until it is stopped.
 *
 * <p>Arguments: port, data directory.
 */
public final class SaslZooKeeperServerMain {
  static final String READY = "SASL ZooKeeper server ready";

  private SaslZooKeeperServerMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    File dataDir = new File(args[1]);
    Map<String, Object> properties =
        Map.of(
            "minSessionTimeout", "1000",
            "maxSessionTimeout", "120000",
            "4lw.commands.whitelist", "*");
    TestingServer server =
        new TestingServer(
            new InstanceSpec(dataDir, port, -1, -1, false, -1, 250, -1, properties), true);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.stop();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                }));
    System.out.println(READY + " on " + server.getConnectString());
    Thread.currentThread().join();
  }
}
