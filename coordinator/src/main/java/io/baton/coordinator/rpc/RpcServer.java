package io.baton.coordinator.rpc;

import io.baton.common.rpc.GrpcServerFactory;
import io.grpc.BindableService;
import io.grpc.Server;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A gRPC server on one address serving one service. */
public final class RpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

  private final Server server;

  private RpcServer(Server server) {
    this.server = server;
  }

  /**
   * Binds and starts serving.
   *
   * @param portKey the configuration key the port came from, named when the port is taken
   * @throws PortInUseException when the port is taken
   * @throws IOException when binding fails for another reason
   */
  public static RpcServer start(
      GrpcServerFactory servers, String bindHost, int port, String portKey, BindableService service)
      throws IOException {
    Server server =
        servers.forAddress(new InetSocketAddress(bindHost, port)).addService(service).build();
    try {
      server.start();
    } catch (IOException e) {
      if (isPortTaken(e)) {
        throw new PortInUseException(portKey, port, e);
      }
      throw e;
    }
    LOG.info(
        "RPC server listening on {}:{} ({})",
        bindHost,
        server.getPort(),
        servers.tls() ? "mutual TLS" : "plaintext");
    return new RpcServer(server);
  }

  public int port() {
    return server.getPort();
  }

  /** Stops accepting calls, lets running ones finish for up to {@code timeout}, then cuts them. */
  public void close(Duration timeout) {
    server.shutdown();
    try {
      if (!server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  // Netty's native transport reports a taken port as its own IOException, not a BindException
  private static boolean isPortTaken(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException
          || (c.getMessage() != null && c.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
