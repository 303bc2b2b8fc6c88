package io.baton.common.rpc;

import io.baton.common.config.Configuration;
import io.baton.common.config.SecurityOptions;
import io.baton.common.security.TlsStores;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.SocketAddress;

/**
 * Builds every gRPC server of a Baton process (JobManager RPC, TaskManager RPC and data exchange).
 * With {@code security.ssl.internal.enabled} a server speaks TLS with the cluster's certificate and
 * refuses any client that does not present a certificate the cluster's truststore trusts; otherwise
 * it is plaintext.
 */
public final class GrpcServerFactory {
  private final ServerCredentials credentials;
  private final boolean tls;

  private GrpcServerFactory(ServerCredentials credentials, boolean tls) {
    this.credentials = credentials;
    this.tls = tls;
  }

  /**
   * The factory the configuration asks for; reads the stores now.
   *
   * @throws io.baton.common.config.IllegalConfigurationException with one line when a store is
   *     missing or unreadable
   */
  public static GrpcServerFactory fromConfiguration(Configuration config) {
    if (!config.get(SecurityOptions.SSL_INTERNAL_ENABLED)) {
      return plaintext();
    }
    TlsStores stores = TlsStores.internal(config).check(true);
    return new GrpcServerFactory(
        TlsServerCredentials.newBuilder()
            .keyManager(stores.keyManagers())
            .trustManager(stores.trustManagers())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
            .build(),
        true);
  }

  /** Plaintext servers (tests, and clusters without internal TLS). */
  public static GrpcServerFactory plaintext() {
    return new GrpcServerFactory(InsecureServerCredentials.create(), false);
  }

  /** A server builder bound to {@code address}. */
  public NettyServerBuilder forAddress(SocketAddress address) {
    return NettyServerBuilder.forAddress(address, credentials);
  }

  /** Whether servers from here require mutual TLS. */
  public boolean tls() {
    return tls;
  }
}
