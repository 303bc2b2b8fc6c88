package io.baton.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.SecurityOptions;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.GrpcServerFactory;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be used stops start-up with one line naming its key and file. */
class TlsStoresTest {
  @TempDir Path dir;

  @Test
  void aWrongPasswordOrAMissingStoreIsOneLineNamingTheKey() throws Exception {
    Path store = dir.resolve("truststore.p12");
    KeyStore empty = KeyStore.getInstance("PKCS12");
    empty.load(null, null);
    try (OutputStream out = Files.newOutputStream(store)) {
      empty.store(out, "right".toCharArray());
    }
    Configuration wrongPassword =
        new Configuration()
            .set(SecurityOptions.SSL_INTERNAL_ENABLED, true)
            .set(SecurityOptions.SSL_INTERNAL_KEYSTORE, store.toString())
            .set(SecurityOptions.SSL_INTERNAL_KEYSTORE_PASSWORD, "wrong")
            .set(SecurityOptions.SSL_INTERNAL_TRUSTSTORE, store.toString())
            .set(SecurityOptions.SSL_INTERNAL_TRUSTSTORE_PASSWORD, "right");
    Configuration noKeystore =
        new Configuration()
            .set(SecurityOptions.SSL_INTERNAL_ENABLED, true)
            .set(SecurityOptions.SSL_INTERNAL_TRUSTSTORE, dir.resolve("nowhere.p12").toString());

    assertThatThrownBy(() -> GrpcServerFactory.fromConfiguration(wrongPassword))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "security.ssl.internal.keystore: cannot read "
                + store
                + ": wrong password, or not a JKS or PKCS12 file");
    assertThatThrownBy(() -> GrpcChannelFactory.fromConfiguration(noKeystore))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage("security.ssl.internal.keystore is not set");
    assertThat(GrpcServerFactory.fromConfiguration(new Configuration()).tls()).isFalse();
  }
}
