package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.Configuration;
import io.baton.common.rpc.ConsumerMessage;
import io.baton.common.rpc.DataBuffer;
import io.baton.common.rpc.DataExchangeServiceGrpc;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.security.RestClientSecurity;
import io.baton.it.HaCluster.JobManagerProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with the keys {@code bin/baton-certs.sh} prints (internal mutual TLS, REST over https
 * with client certificates, the REST token) lets in only holders of its certificate: REST clients
 * that do not trust its CA, or present no certificate, fail the handshake; a TaskManager with a
 * certificate of another CA, or speaking plaintext, never registers (its log says why, {@code GET
 * /taskmanagers} does not list it) and cannot open a data exchange with a TaskManager of the
 * cluster.
 */
class ClusterTlsTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void onlyHoldersOfTheClusterCertificateGetIn() throws Exception {
    ClusterCertificates own = ClusterCertificates.make(workDir.resolve("certs"));
    ClusterCertificates other = ClusterCertificates.make(workDir.resolve("other-ca"));
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "cluster-tls",
            workDir,
            SESSION_TIMEOUT,
            c -> own.applyAll(c).setString("security.ssl.rest.authentication-enabled", "true"));
    JobManagerProcess leader = cluster.startJobManager("jm1");
    cluster.startTaskManager("tm1", 2);
    cluster.awaitLeader(Duration.ofSeconds(90));
    cluster.awaitTaskManagers(1, Duration.ofSeconds(60));

    // REST: the cluster's own client (truststore, client certificate, token) gets in over https
    assertThat(leader.rest().baseUrl()).startsWith("https://");
    JsonNode taskManagers = leader.rest().getOk("/taskmanagers").get("taskmanagers");
    assertThat(taskManagers).hasSize(1);
    assertThat(leader.ha().orElseThrow().leaderRestUrl()).startsWith("https://");
    URI ha = URI.create(leader.rest().baseUrl() + "/ha");
    // a client that does not trust the cluster's CA fails the handshake
    assertThatThrownBy(() -> get(HttpClient.newBuilder(), ha))
        .isInstanceOf(IOException.class)
        .hasRootCauseMessage("unable to find valid certification path to requested target");
    // one that trusts it but presents no certificate is refused
    Configuration trustOnly =
        new Configuration()
            .setString("security.ssl.rest.enabled", "true")
            .setString(
                "security.ssl.rest.truststore", own.keys().get("security.ssl.rest.truststore"))
            .setString(
                "security.ssl.rest.truststore-password",
                own.keys().get("security.ssl.rest.truststore-password"));
    assertThatThrownBy(
            () ->
                get(
                    RestClientSecurity.fromConfiguration(trustOnly)
                        .configure(HttpClient.newBuilder()),
                    ha))
        .isInstanceOf(IOException.class);
    // plain http on the https port gets no answer either
    assertThatThrownBy(
            () ->
                get(
                    HttpClient.newBuilder(),
                    URI.create(leader.rest().baseUrl().replace("https", "http") + "/ha")))
        .isInstanceOf(IOException.class);

    // gRPC: a TaskManager that trusts the cluster's CA but holds another CA's certificate, and
    // one speaking plaintext, are refused
    JvmProcess intruder =
        cluster.startTaskManager("intruder", 2, c -> withOtherCertificate(c, own, other));
    JvmProcess plaintext =
        cluster.startTaskManager(
            "plaintext", 2, c -> c.setString("security.ssl.internal.enabled", "false"));
    for (JvmProcess refused : List.of(intruder, plaintext)) {
      Awaits.until(
          refused.name() + " logs its refused registration",
          Duration.ofSeconds(60),
          () -> refusedRegistrations(refused) >= 2);
      assertThat(refused.logText()).doesNotContain("Registered at JobManager");
    }
    assertThat(intruder.logText()).contains("TLS handshake failed");
    assertThat(plaintext.logText())
        .contains("is security.ssl.internal.enabled the same on every process?");
    assertThat(leader.rest().getOk("/taskmanagers").get("taskmanagers"))
        .as("registered TaskManagers")
        .hasSize(1);

    // data exchange: only the cluster's certificate opens a stream to tm1
    String tm1 = taskManagers.get(0).get("path").asText();
    Status withOther = exchange(withOtherCertificate(new Configuration(), own, other), tm1);
    Status withOwn = exchange(own.applyInternal(new Configuration()), tm1);
    assertThat(withOther.getCode()).as("%s", withOther).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(withOwn.getCode()).as("%s", withOwn).isNotEqualTo(Status.Code.UNAVAILABLE);
  }

  /** The cluster's truststore (its CA is no secret) with a keystore signed by another CA. */
  private static Configuration withOtherCertificate(
      Configuration config, ClusterCertificates own, ClusterCertificates other) {
    other.applyInternal(config);
    return config
        .setString(
            "security.ssl.internal.truststore", own.keys().get("security.ssl.internal.truststore"))
        .setString(
            "security.ssl.internal.truststore-password",
            own.keys().get("security.ssl.internal.truststore-password"));
  }

  private static long refusedRegistrations(JvmProcess taskManager) {
    try {
      return taskManager
          .logText()
          .lines()
          .filter(l -> l.contains("Registration at JobManager") && l.contains("failed"))
          .count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void get(HttpClient.Builder client, URI uri)
      throws IOException, InterruptedException {
    client
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Opens a data exchange stream to {@code address} with the channels {@code config} makes and ends
   * it at once: how the stream ends (OK or the server's refusal of an empty request when the
   * connection is accepted, UNAVAILABLE when the handshake fails).
   */
  private static Status exchange(Configuration config, String address) throws Exception {
    int colon = address.lastIndexOf(':');
    ManagedChannel channel =
        GrpcChannelFactory.fromConfiguration(config)
            .forAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
            .build();
    try {
      CompletableFuture<Status> end = new CompletableFuture<>();
      StreamObserver<ConsumerMessage> requests =
          DataExchangeServiceGrpc.newStub(channel)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .exchange(
                  new StreamObserver<DataBuffer>() {
                    @Override
                    public void onNext(DataBuffer value) {}

                    @Override
                    public void onError(Throwable t) {
                      end.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                      end.complete(Status.OK);
                    }
                  });
      requests.onCompleted();
      return end.get(30, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
