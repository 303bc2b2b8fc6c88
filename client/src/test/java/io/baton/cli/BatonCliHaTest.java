package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.ids.JobId;
import io.baton.common.security.TokenDigest;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.zookeeper.ZooKeeperClientFactory;
import io.baton.ha.zookeeper.ZooKeeperHaServices;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in HA mode: finds the leader's REST API through ZooKeeper (a real server), and follows a
 * standby's redirects and leader hints, against small REST stubs of a leader and a standby.
 */
class BatonCliHaTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long LEADER_SINCE = 1_700_000_000_000L;
  private static TestingServer zooKeeper;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final String clusterId = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
  private final JobId job = JobId.random();
  private final List<String> leaderRequests = new CopyOnWriteArrayList<>();
  private final List<byte[]> uploadedJars = new CopyOnWriteArrayList<>();
  private final List<String> standbyRequests = new CopyOnWriteArrayList<>();
  private Javalin leader;
  private Javalin standby;
  private Path conf;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    zooKeeper = new TestingServer(true);
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    zooKeeper.close();
  }

  @BeforeEach
  void startStubs() throws IOException {
    leader = Javalin.create().start("127.0.0.1", 0);
    standby = Javalin.create().start("127.0.0.1", 0);
    toClose.add(leader::stop);
    toClose.add(standby::stop);
    conf = Files.createDirectory(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("baton-conf.yaml"),
        "high-availability.type: zookeeper\n"
            + "high-availability.zookeeper.quorum: "
            + zooKeeper.getConnectString()
            + "\nhigh-availability.cluster-id: "
            + clusterId
            + "\nhigh-availability.zookeeper.client.connection-timeout: 2 s\n"
            // nothing listens here: only ZooKeeper can name the JobManager
            + "rest.address: 127.0.0.1\nrest.port: 1\n");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private String leaderUrl() {
    return "http://127.0.0.1:" + leader.port();
  }

  private String standbyAddress() {
    return "127.0.0.1:" + standby.port();
  }

  /** The leader stub answers as a leading JobManager whose token is {@code token}. */
  private void serveAsLeader(String token) {
    leader.before(ctx -> leaderRequests.add(ctx.method() + " " + ctx.path() + query(ctx)));
    leader.get("/overview", ctx -> ctx.json(overview()));
    leader.get("/ha", ctx -> ctx.json(ha(true, token)));
    leader.get(
        "/jobs/overview",
        ctx ->
            ctx.json(
                Map.of(
                    "jobs",
                    List.of(
                        Map.of(
                            "jid",
                            job.value(),
                            "name",
                            "ledger",
                            "state",
                            "RUNNING",
                            "start-time",
                            LEADER_SINCE)))));
    leader.patch("/jobs/{id}", ctx -> ctx.status(202).json(Map.of()));
    leader.post(
        "/jars/upload",
        ctx -> {
          UploadedFile file = ctx.uploadedFile("jarfile");
          try (InputStream in = file.content()) {
            uploadedJars.add(in.readAllBytes());
          }
          ctx.json(Map.of("filename", "abc_" + file.filename(), "status", "success"));
        });
    leader.post("/jars/{id}/run", ctx -> ctx.json(Map.of("jobid", job.value())));
  }

  /** The standby stub redirects writes to the leader and answers reads with where it is. */
  private void serveAsStandby(String token) {
    standby.before(ctx -> standbyRequests.add(ctx.method() + " " + ctx.path() + query(ctx)));
    standby.get("/ha", ctx -> ctx.json(ha(false, token)));
    standby.get(
        "/*",
        ctx -> {
          if (!ctx.path().equals("/ha")) {
            ctx.json(
                Map.of(
                    "leader",
                    false,
                    "leaderId",
                    "127.0.0.1:" + leader.port(),
                    "leaderAddress",
                    "127.0.0.1:6123",
                    "leaderRestUrl",
                    leaderUrl()));
          }
        });
    standby.patch("/*", this::redirectToLeader);
    standby.post("/*", this::redirectToLeader);
  }

  private void redirectToLeader(Context ctx) {
    ctx.status(307).header("Location", leaderUrl() + ctx.path() + query(ctx));
  }

  private static String query(Context ctx) {
    return ctx.queryString() == null ? "" : "?" + ctx.queryString();
  }

  private static Map<String, Object> overview() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("taskmanagers", 2);
    o.put("slots-total", 4);
    o.put("slots-available", 1);
    o.put("jobs-running", 1);
    o.put("jobs-finished", 0);
    o.put("jobs-cancelled", 0);
    o.put("jobs-failed", 0);
    o.put("baton-version", "dev");
    return o;
  }

  private Map<String, Object> ha(boolean leads, String token) {
    String leaderId = "127.0.0.1:" + leader.port();
    Map<String, Object> ha = new LinkedHashMap<>();
    ha.put("mode", "zookeeper");
    ha.put("leader", leads);
    ha.put("id", leads ? leaderId : standbyAddress());
    ha.put("leaderId", leaderId);
    ha.put("leaderAddress", "127.0.0.1:6123");
    ha.put("leaderRestUrl", leaderUrl());
    ha.put("leaderTokenDigest", TokenDigest.of(token));
    ha.put("leaderSince", LEADER_SINCE);
    ha.put("contenders", List.of(leaderId, standbyAddress()));
    return ha;
  }

  /** Runs a real election with the leader stub's REST URL as the only contender; its token. */
  private String electLeaderStub() throws Exception {
    Configuration config =
        new Configuration()
            .set(HighAvailabilityOptions.QUORUM, zooKeeper.getConnectString())
            .set(HighAvailabilityOptions.CLUSTER_ID, clusterId);
    CuratorFramework client = ZooKeeperClientFactory.start(config);
    toClose.add(client::close);
    LeaderElectionService election =
        ZooKeeperHaServices.create(client, ZooKeeperClientFactory.clusterPath(config), false)
            .leaderElectionService();
    PublishingContender contender = new PublishingContender(election, leaderUrl());
    election.start(contender);
    toClose.add(election);
    await().atMost(WAIT).until(() -> contender.published != null);
    return contender.published.toString();
  }

  @Test
  void infoFindsTheLeaderThroughZooKeeperAndNamesItAndItsToken() throws Exception {
    String token = electLeaderStub();
    serveAsLeader(token);

    assertThat(cli("info", "--conf", conf.toString())).isZero();

    assertThat(err.toString()).isEmpty();
    assertThat(out.toString().lines())
        .containsExactly(
            "JobManager    127.0.0.1:" + leader.port() + " (REST)",
            "Leader        127.0.0.1:"
                + leader.port()
                + " (RPC 127.0.0.1:6123), since "
                + Instant.ofEpochMilli(LEADER_SINCE),
            "Token digest  " + TokenDigest.of(token),
            "HA mode       zookeeper, contenders 127.0.0.1:"
                + leader.port()
                + ", "
                + standbyAddress(),
            "TaskManagers  2",
            "Slots         4 total, 1 available",
            "Jobs          1 running, 0 finished, 0 cancelled, 0 failed",
            "Version       dev");
  }

  @Test
  void listFindsTheLeaderThroughZooKeeper() throws Exception {
    serveAsLeader(electLeaderStub());

    assertThat(cliWithEnv(Map.of("BATON_CONF_DIR", conf.toString()), "list")).isZero();

    assertThat(out.toString())
        .isEqualTo(job + "\tledger\tRUNNING\t" + Instant.ofEpochMilli(LEADER_SINCE) + "\n");
    assertThat(leaderRequests).containsExactly("GET /jobs/overview");
  }

  @Test
  void withoutAPublishedLeaderItExitsWithOneLine() {
    long start = System.nanoTime();

    assertThat(cli("list", "--conf", conf.toString())).isEqualTo(1);

    assertThat(err.toString())
        .isEqualTo(
            "baton: no JobManager leads cluster '"
                + clusterId
                + "' at "
                + zooKeeper.getConnectString()
                + "\n");
    // it waited for a leader up to the connection timeout (2 s), not longer
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void garbageInTheLeaderInfoNodeIsOneLineNamingTheNode() throws Exception {
    String infoPath = "/baton/" + clusterId + "/leader/info";
    try (CuratorFramework intruder =
        CuratorFrameworkFactory.newClient(
            zooKeeper.getConnectString(), 5_000, 2_000, new RetryOneTime(100))) {
      intruder.start();
      intruder
          .create()
          .creatingParentsIfNeeded()
          .forPath(infoPath, "\u0000garbage\nnot a token".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(cli("info", "--conf", conf.toString())).isEqualTo(1);

    assertThat(err.toString())
        .startsWith("baton: the leader info node " + infoPath + " is unreadable: ")
        .doesNotContain("no JobManager leads")
        .endsWith("\n")
        .hasLineCount(1);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void withNoZooKeeperServerListeningItSaysSoAtOnce() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String quorum = "127.0.0.1:" + closedPort + ",localhost:" + closedPort;
    Files.writeString(
        conf.resolve("baton-conf.yaml"),
        "high-availability.type: zookeeper\n"
            + "high-availability.zookeeper.quorum: "
            + quorum
            + "\nhigh-availability.zookeeper.client.connection-timeout: 15 s\n");
    long start = System.nanoTime();

    assertThat(cli("list", "--conf", conf.toString())).isEqualTo(1);

    assertThat(err.toString())
        .isEqualTo(
            "baton: no cluster answers at ZooKeeper "
                + quorum
                + " (is the cluster running? bin/start-cluster.sh)\n");
    // not the connection timeout, not its retries
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void cancelOnAStandbyFollowsItsRedirectToTheLeader() throws Exception {
    String token = UUID.randomUUID().toString();
    serveAsLeader(token);
    serveAsStandby(token);

    assertThat(cli("cancel", "--jobmanager", standbyAddress(), job.value())).isZero();

    assertThat(out.toString()).isEqualTo("Cancelling job " + job + ".\n");
    assertThat(standbyRequests).containsExactly("PATCH /jobs/" + job + "?mode=cancel");
    assertThat(leaderRequests).containsExactly("PATCH /jobs/" + job + "?mode=cancel");
  }

  @Test
  void aJarUploadedToAStandbyReachesTheLeaderWhole() throws Exception {
    String token = UUID.randomUUID().toString();
    serveAsLeader(token);
    serveAsStandby(token);
    byte[] jarBytes = new byte[200_000];
    new java.util.Random(7).nextBytes(jarBytes);
    Path jar = Files.write(dir.resolve("ledger.jar"), jarBytes);

    assertThat(cli("run", "-d", "--jobmanager", standbyAddress(), jar.toString())).isZero();

    assertThat(out.toString()).isEqualTo("Job has been submitted with JobID " + job + "\n");
    assertThat(uploadedJars).singleElement().isEqualTo(jarBytes);
    assertThat(standbyRequests).containsExactly("POST /jars/upload");
    // once redirected, it talks to the leader directly
    assertThat(leaderRequests)
        .containsExactly("POST /jars/upload", "POST /jars/abc_ledger.jar/run");
  }

  @Test
  void aReadAnsweredByAStandbyIsAskedOfTheLeader() {
    String token = UUID.randomUUID().toString();
    serveAsLeader(token);
    serveAsStandby(token);

    assertThat(cli("list", "--jobmanager", standbyAddress())).isZero();

    assertThat(out.toString()).startsWith(job + "\tledger\tRUNNING\t");
    assertThat(standbyRequests).containsExactly("GET /jobs/overview");
  }

  @Test
  void aStandbyThatKnowsNoLeaderIsOneLine() {
    standby.before(ctx -> standbyRequests.add(ctx.method() + " " + ctx.path()));
    standby.patch("/*", ctx -> ctx.status(503).result("no leader elected"));
    standby.get(
        "/*",
        ctx ->
            ctx.json(
                Map.of(
                    "leader", false,
                    "leaderId", "",
                    "leaderAddress", "",
                    "leaderRestUrl", "")));

    assertThat(cli("cancel", "--jobmanager", standbyAddress(), job.value())).isEqualTo(1);
    assertThat(cli("list", "--jobmanager", standbyAddress())).isEqualTo(1);

    assertThat(err.toString().lines())
        .containsExactly(
            "baton: the JobManager at "
                + standbyAddress()
                + " answered HTTP 503 to PATCH /jobs/"
                + job
                + "?mode=cancel: no leader elected",
            "baton: the JobManager at " + standbyAddress() + " is a standby and knows no leader");
    assertThat(standbyRequests).containsExactly("PATCH /jobs/" + job, "GET /jobs/overview");
  }

  private int cli(String... args) {
    return cliWithEnv(Map.of(), args);
  }

  private int cliWithEnv(Map<String, String> env, String... args) {
    return new BatonCli(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            env,
            Duration.ofMillis(20),
            Clock.systemUTC())
        .execute(args);
  }

  /** Publishes the leader stub as leader when granted, as a JobManager does. */
  private static final class PublishingContender implements LeaderContender {
    private final LeaderElectionService election;
    private final String restUrl;
    volatile UUID published;

    PublishingContender(LeaderElectionService election, String restUrl) {
      this.election = election;
      this.restUrl = restUrl;
    }

    @Override
    public void grantLeadership(UUID leaderSessionId) {
      election
          .confirmLeadership(new LeaderInformation(leaderSessionId, "127.0.0.1:6123", restUrl))
          .orTimeout(10, TimeUnit.SECONDS)
          .thenRun(() -> published = leaderSessionId);
    }

    @Override
    public void revokeLeadership() {
      published = null;
    }
  }
}
