package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.ids.JobId;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderStores;
import io.baton.storage.FileStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code high-availability.zookeeper.client.acl} and the credentials that go with it. */
class ZooKeeperAclTest {
  @RegisterExtension
  static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

  @TempDir Path storage;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final String root = "/baton-" + UUID.randomUUID();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void creatorAclKeepsClientsWithoutTheSameCredentialsOut() throws Exception {
    Configuration config =
        config()
            .set(HighAvailabilityOptions.ACL, HighAvailabilityOptions.Acl.CREATOR)
            .set(HighAvailabilityOptions.DIGEST, "baton:s3cret");
    String jobGraph = leadAndStoreAJob(config);

    CuratorFramework anonymous = client(null);
    CuratorFramework otherTenant = client("other:password");
    for (CuratorFramework outsider : List.of(anonymous, otherTenant)) {
      assertThatThrownBy(() -> outsider.getData().forPath(jobGraph))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> outsider.setData().forPath(jobGraph, bytes("file:///evil")))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> outsider.getChildren().forPath(root + "/default/jobgraphs"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> outsider.create().forPath(root + "/default/jobgraphs/x"))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
    // The same credentials (another JobManager of the cluster) get in.
    assertThat(fileNamedBy(client("baton:s3cret").getData().forPath(jobGraph)))
        .startsWith(storage)
        .isRegularFile();
  }

  @Test
  void openAclLetsAnyoneRead() throws Exception {
    String jobGraph = leadAndStoreAJob(config());

    assertThat(fileNamedBy(client(null).getData().forPath(jobGraph)))
        .startsWith(storage)
        .isRegularFile();
  }

  @Test
  void creatorAclWithoutCredentialsIsRefusedInOneLine() {
    Configuration config =
        config().set(HighAvailabilityOptions.ACL, HighAvailabilityOptions.Acl.CREATOR);

    assertThatThrownBy(() -> ZooKeeperClientFactory.start(config))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "high-availability.zookeeper.client.acl: creator needs credentials: set"
                + " high-availability.zookeeper.client.digest or"
                + " high-availability.zookeeper.client.sasl.jaas-file");
  }

  @Test
  void malformedDigestAndMissingJaasFileNameTheirKeys() {
    assertThatThrownBy(
            () ->
                ZooKeeperClientFactory.start(config().set(HighAvailabilityOptions.DIGEST, "baton")))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage("high-availability.zookeeper.client.digest must be 'user:password'");
    Path missing = storage.resolve("no-such-jaas.conf");
    assertThatThrownBy(
            () ->
                ZooKeeperClientFactory.start(
                    config().set(HighAvailabilityOptions.SASL_JAAS_FILE, missing.toString())))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage("high-availability.zookeeper.client.sasl.jaas-file: cannot read " + missing);
  }

  /** Starts a client from {@code config}, leads, stores a job graph; returns its pointer. */
  private String leadAndStoreAJob(Configuration config) throws Exception {
    CuratorFramework client = ZooKeeperClientFactory.start(config);
    toClose.add(client);
    ZooKeeperHaServices services =
        ZooKeeperHaServices.create(client, ZooKeeperClientFactory.clusterPath(config), false);
    LeaderElectionService election = services.leaderElectionService("jm:8081");
    toClose.add(election);
    FileStores fileStores = new FileStores(config);
    toClose.add(fileStores);
    java.util.concurrent.CompletableFuture<UUID> granted =
        new java.util.concurrent.CompletableFuture<>();
    election.start(
        new LeaderContender() {
          @Override
          public void grantLeadership(UUID leaderSessionId) {
            granted.complete(leaderSessionId);
          }

          @Override
          public void revokeLeadership() {}
        });
    UUID session = granted.get(15, java.util.concurrent.TimeUnit.SECONDS);
    LeaderStores stores = services.leaderStores(election, session, fileStores, storage.toUri());
    JobId job = JobId.random();
    stores.jobGraphStore().put(job, bytes("graph"));
    assertThat(stores.jobGraphStore().get(job)).isPresent();
    return root + "/default/jobgraphs/" + job;
  }

  private Configuration config() {
    return new Configuration()
        .set(HighAvailabilityOptions.QUORUM, zooKeeper.connectString())
        .set(HighAvailabilityOptions.ROOT, root);
  }

  private CuratorFramework client(String digest) throws InterruptedException {
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(zooKeeper.connectString())
            .retryPolicy(new RetryOneTime(100));
    if (digest != null) {
      builder.authorization("digest", bytes(digest));
    }
    CuratorFramework client = builder.build();
    client.start();
    client.blockUntilConnected();
    toClose.add(client);
    return client;
  }

  private static Path fileNamedBy(byte[] pointer) {
    return Path.of(java.net.URI.create(new String(pointer, StandardCharsets.UTF_8)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
