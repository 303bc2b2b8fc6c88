package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import org.junit.jupiter.api.Test;

class OpenAclWarningTest {

  @Test
  void openAclsOnARemoteQuorumAreNamedWithTheKeyToSet() {
    Configuration config =
        new Configuration()
            .set(HighAvailabilityOptions.QUORUM, "127.0.0.1:2181,zk2.example.com:2181/chroot");

    assertThat(OpenAclWarning.of(config))
        .contains(
            "ZooKeeper quorum 127.0.0.1:2181,zk2.example.com:2181/chroot is reachable beyond this"
                + " machine (zk2.example.com) and high-availability.zookeeper.client.acl is open:"
                + " anyone who reaches it can rewrite this cluster's leader, job graphs and"
                + " checkpoint pointers. Set high-availability.zookeeper.client.acl: creator with"
                + " high-availability.zookeeper.client.digest or"
                + " high-availability.zookeeper.client.sasl.jaas-file");
  }

  @Test
  void loopbackQuorumsAndCreatorAclsNeedNoWarning() {
    assertThat(OpenAclWarning.of(new Configuration())).isEmpty();
    assertThat(
            OpenAclWarning.of(
                new Configuration()
                    .set(
                        HighAvailabilityOptions.QUORUM,
                        "localhost:2181,127.0.0.2:2182,[::1]:2183")))
        .isEmpty();
    assertThat(
            OpenAclWarning.of(
                new Configuration()
                    .set(HighAvailabilityOptions.QUORUM, "zk1.example.com:2181")
                    .set(HighAvailabilityOptions.ACL, HighAvailabilityOptions.Acl.CREATOR)))
        .isEmpty();
  }
}
