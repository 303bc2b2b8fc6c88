package io.baton.common.rpc;

import io.baton.common.config.Configuration;
import io.baton.common.config.SecurityOptions;
import io.baton.common.security.TlsStores;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * Builds every gRPC channel of a Baton process (TaskManager to JobManager, JobManager to
 * TaskManager, TaskManager to TaskManager). With {@code security.ssl.internal.enabled} a channel
 * presents the cluster's certificate and accepts only a server whose certificate the cluster's
 * truststore trusts; otherwise it is plaintext.
 */
public final class GrpcChannelFactory {
  private final ChannelCredentials credentials;

  private GrpcChannelFactory(ChannelCredentials credentials) {
    this.credentials = credentials;
  }

  /**
   * The factory the configuration asks for; reads the stores now.
   *
   * @throws io.baton.common.config.IllegalConfigurationException with one line when a store is
   *     missing or unreadable
   */
  public static GrpcChannelFactory fromConfiguration(Configuration config) {
    if (!config.get(SecurityOptions.SSL_INTERNAL_ENABLED)) {
      return plaintext();
    }
    TlsStores stores = TlsStores.internal(config).check(true);
    return new GrpcChannelFactory(
        TlsChannelCredentials.newBuilder()
            .keyManager(stores.keyManagers())
            .trustManager(stores.trustManagers())
            .build());
  }

  /** Plaintext channels (tests, and clusters without internal TLS). */
  public static GrpcChannelFactory plaintext() {
    return new GrpcChannelFactory(InsecureChannelCredentials.create());
  }

  /** A channel builder for {@code host:port}. */
  public NettyChannelBuilder forAddress(String host, int port) {
    return NettyChannelBuilder.forAddress(host, port, credentials);
  }
}
