package io.baton.coordinator.rest;

import io.baton.common.config.Configuration;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The JobManager's HTTP/JSON API (Flink-shaped), on {@code rest.port}. */
public final class RestServer implements AutoCloseable {

  public RestServer(
      Configuration configuration,
      DispatcherGateway dispatcher,
      BlobStore blobStore,
      PrometheusMeterRegistry meterRegistry) {
    throw new UnsupportedOperationException("scaffold: RestServer is being written");
  }

  /**
   * Binds and starts serving.
   *
   * @return the port bound (useful with rest.port 0)
   */
  public int start() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
