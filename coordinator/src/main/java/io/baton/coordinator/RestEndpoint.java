package io.baton.coordinator;

import io.baton.common.config.Configuration;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.rest.ClusterShutdown;
import io.baton.coordinator.rest.HaStatus;
import io.baton.coordinator.rest.RestServer;
import io.baton.coordinator.rest.RestServerOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The JobManager's HTTP side, as the JobManager starts and stops it. */
public interface RestEndpoint extends AutoCloseable {

  /** Binds and serves; returns the port bound, or -1 when there is no HTTP server. */
  int start() throws Exception;

  @Override
  void close();

  /** Creates the REST endpoint of a JobManager. */
  @FunctionalInterface
  interface Factory {
    RestEndpoint create(
        Configuration config,
        DispatcherGateway dispatcher,
        BlobStore blobStore,
        PrometheusMeterRegistry meterRegistry);

    /**
     * The endpoint of a JobManager that may be a standby: {@code haStatus} says who leads.
     * Endpoints without HTTP ignore it.
     */
    default RestEndpoint create(
        Configuration config,
        DispatcherGateway dispatcher,
        BlobStore blobStore,
        PrometheusMeterRegistry meterRegistry,
        HaStatus.Source haStatus) {
      return create(config, dispatcher, blobStore, meterRegistry);
    }

    /**
     * The endpoint whose {@code DELETE /cluster} asks {@code shutdown} (null: refused) to end the
     * cluster. Endpoints without HTTP ignore it.
     */
    default RestEndpoint create(
        Configuration config,
        DispatcherGateway dispatcher,
        BlobStore blobStore,
        PrometheusMeterRegistry meterRegistry,
        HaStatus.Source haStatus,
        ClusterShutdown shutdown) {
      return create(config, dispatcher, blobStore, meterRegistry, haStatus);
    }
  }

  /** The HTTP/JSON API on {@code rest.port}. */
  static Factory restServer() {
    return new Factory() {
      @Override
      public RestEndpoint create(
          Configuration config,
          DispatcherGateway dispatcher,
          BlobStore blobStore,
          PrometheusMeterRegistry registry) {
        return create(config, dispatcher, blobStore, registry, null);
      }

      @Override
      public RestEndpoint create(
          Configuration config,
          DispatcherGateway dispatcher,
          BlobStore blobStore,
          PrometheusMeterRegistry registry,
          HaStatus.Source haStatus) {
        return create(config, dispatcher, blobStore, registry, haStatus, null);
      }

      @Override
      public RestEndpoint create(
          Configuration config,
          DispatcherGateway dispatcher,
          BlobStore blobStore,
          PrometheusMeterRegistry registry,
          HaStatus.Source haStatus,
          ClusterShutdown shutdown) {
        RestServer server =
            new RestServer(
                config,
                dispatcher,
                blobStore,
                registry,
                RestServerOptions.defaults().withHaStatus(haStatus).withShutdown(shutdown));
        return new RestEndpoint() {
          @Override
          public int start() {
            return server.start();
          }

          @Override
          public void close() {
            server.close();
          }
        };
      }
    };
  }

  /** No HTTP server (embedded use and tests that talk to the dispatcher directly). */
  static Factory none() {
    return (config, dispatcher, blobStore, registry) ->
        new RestEndpoint() {
          @Override
          public int start() {
            return -1;
          }

          @Override
          public void close() {}
        };
  }
}
