package io.baton.ha.zookeeper;

import io.baton.common.security.TokenDigest;
import io.baton.ha.LeaderInformation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's watch on the published leader: every interval it probes the RPC endpoint in {@code
 * leader/info} ({@link LeaderProcessProbe}); after {@code count} consecutive proofs that the
 * leader's process is gone, it deletes that leader's latch node so the next contender leads at once
 * instead of after the dead leader's session timeout.
 *
 * <p>The deletion is safe against a newer leader: the node deleted is the latch child whose
 * ephemeral owner is the session that owns {@code leader/info}, and it is deleted in one
 * transaction that also checks {@code leader/info}'s version is still the one probed. Without proof
 * (a timeout, no route, a paused process) nothing is deleted and the session timeout decides.
 *
 * <p>All state (the count, what was last logged) lives on the detector's own thread.
 */
final class DeadLeaderDetector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLeaderDetector.class);

  private final CuratorFramework client;
  private final String latchPath;
  private final String infoPath;
  private final Duration interval;
  private final int count;
  private final LeaderProcessProbe probe;
  private final BooleanSupplier leading;
  private final ScheduledExecutorService thread;
  private final LeaderDepartureNote departures;
  private final AtomicLong probes = new AtomicLong();
  private volatile BiConsumer<LeaderInformation, ProbeEvidence> listener = (l, e) -> {};

  // only on thread
  private int proofs;
  private InfoStamp proven;
  private long firstProofAt;
  private String lastLogged = "";
  private String lastDecision = "";

  /**
   * Which publication of {@code leader/info} was probed: a new node (another creation) or a changed
   * one (another version) is another leader's, or the same one's published again.
   */
  private record InfoStamp(long czxid, int version, long owner) {
    static InfoStamp of(Stat stat) {
      return new InfoStamp(stat.getCzxid(), stat.getVersion(), stat.getEphemeralOwner());
    }
  }

  /**
   * @param leading whether the contender this detector belongs to leads now (then it does not
   *     probe)
   * @param thread the detector's own thread; shut down by {@link #close()}
   */
  DeadLeaderDetector(
      CuratorFramework client,
      String latchPath,
      String infoPath,
      LeaderProbeSettings settings,
      BooleanSupplier leading,
      ScheduledExecutorService thread,
      LeaderDepartureNote departures) {
    this.client = client;
    this.latchPath = latchPath;
    this.infoPath = infoPath;
    this.interval = settings.interval();
    this.count = settings.count();
    this.probe = new LeaderProcessProbe(settings.channels(), settings.interval());
    this.leading = leading;
    this.thread = thread;
    this.departures = departures;
  }

  void start() {
    thread.scheduleWithFixedDelay(
        this::probeOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "Probing the leader published at {} every {} ms; {} consecutive proofs that its process is"
            + " gone delete its latch node",
        infoPath,
        interval.toMillis(),
        count);
  }

  /** How many probes of a leader's endpoint were made so far. */
  long probeCount() {
    return probes.get();
  }

  /** Called on the detector's thread after each probe, before its evidence is acted upon. */
  void onProbe(BiConsumer<LeaderInformation, ProbeEvidence> listener) {
    this.listener = listener;
  }

  private void probeOnce() {
    try {
      probeAndAct();
    } catch (RuntimeException e) {
      // one failed round must not end the schedule
      resetProofs();
      logOnce("error " + e.getClass().getName(), "Probing the leader failed: {}", e.toString());
    }
  }

  private void probeAndAct() throws RuntimeException {
    if (leading.getAsBoolean() || !client.getZookeeperClient().isConnected()) {
      resetProofs();
      return;
    }
    Stat infoStat = new Stat();
    String text;
    long ownSession;
    try {
      text =
          new String(
              client.getData().storingStatIn(infoStat).forPath(infoPath), StandardCharsets.UTF_8);
      ownSession = client.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (KeeperException.NoNodeException e) {
      resetProofs();
      return;
    } catch (Exception e) {
      resetProofs();
      if (!thread.isShutdown()) {
        logOnce("read " + e.getClass().getName(), "Cannot read {}: {}", infoPath, e.toString());
      }
      return;
    }
    LeaderInformation leader;
    try {
      leader = LeaderInfoText.parse(text);
    } catch (IllegalArgumentException e) {
      resetProofs();
      logOnce("unreadable", "Not probing: {}", e.getMessage());
      return;
    }
    long owner = infoStat.getEphemeralOwner();
    if (owner == 0 || owner == ownSession) {
      // no session to tie to a latch node, or this process's own (stale) info
      resetProofs();
      return;
    }
    ProbeEvidence evidence = probe.probe(leader);
    probes.incrementAndGet();
    listener.accept(leader, evidence);
    String digest = TokenDigest.of(leader.sessionId().toString());
    if (evidence.kind() == ProbeEvidence.Kind.LEADER_ANSWERED) {
      resetProofs();
      logOnce(
          digest + " " + evidence.key(),
          "Leader {} at {} (session 0x{}) is alive: {}",
          digest,
          leader.address(),
          Long.toHexString(owner),
          evidence.detail());
      return;
    }
    if (!evidence.provesGone()) {
      resetProofs();
      logOnce(
          digest + " " + evidence.key(),
          "Leader {} at {} (session 0x{}): {}; no proof that its process is gone, its session"
              + " timeout decides (logged again when the evidence changes)",
          digest,
          leader.address(),
          Long.toHexString(owner),
          evidence.detail());
      return;
    }
    InfoStamp stamp = InfoStamp.of(infoStat);
    if (!stamp.equals(proven)) {
      proofs = 0;
      proven = stamp;
    }
    if (proofs == 0) {
      firstProofAt = departures.now();
    }
    proofs++;
    logOnce(
        digest + " " + evidence.key(),
        "Leader {} at {} (session 0x{}): {}; proof that its process is gone, its latch node is"
            + " deleted after {} consecutive proofs",
        digest,
        leader.address(),
        Long.toHexString(owner),
        evidence.detail(),
        count);
    LOG.debug("Proof {} of {} that leader {} is gone", proofs, count, digest);
    if (proofs >= count) {
      resetProofs();
      deleteLatchNodeOf(leader, digest, stamp, evidence, firstProofAt);
    }
  }

  /**
   * Deletes the latch node owned by the session that published {@code probed}, if {@code
   * leader/info} is still that publication: never a node of a leader that published after the
   * probes. The node is found by its ephemeral owner and deleted with its version, so it is exactly
   * the probed session's node; the transaction also checks {@code leader/info}'s version.
   */
  private void deleteLatchNodeOf(
      LeaderInformation leader,
      String digest,
      InfoStamp probed,
      ProbeEvidence why,
      long firstProofAt) {
    long owner = probed.owner();
    String node = null;
    Stat nodeStat = null;
    try {
      Stat now = client.checkExists().forPath(infoPath);
      if (now == null || !InfoStamp.of(now).equals(probed)) {
        LOG.info(
            "Leader {} at {} is gone ({}), but {} was published again since the probes (a newer"
                + " leader): nothing deleted",
            digest,
            leader.address(),
            why.detail(),
            infoPath);
        return;
      }
      List<String> children = client.getChildren().forPath(latchPath);
      for (String child : children) {
        String path = ZKPaths.makePath(latchPath, child);
        Stat stat = client.checkExists().forPath(path);
        if (stat != null && stat.getEphemeralOwner() == owner) {
          if (node != null) {
            LOG.warn(
                "Leader {} at {} is gone ({}), but its session 0x{} owns more than one latch node"
                    + " ({}, {}); nothing deleted, its session timeout decides",
                digest,
                leader.address(),
                why.detail(),
                Long.toHexString(owner),
                node,
                path);
            return;
          }
          node = path;
          nodeStat = stat;
        }
      }
      if (node == null) {
        decideOnce(
            digest + " no-node",
            "Leader {} at {} is gone ({}), but no latch node belongs to its session 0x{}:"
                + " nothing to delete (it is gone already)",
            digest,
            leader.address(),
            why.detail(),
            Long.toHexString(owner));
        return;
      }
      // before the deletion: the next leader reads it as soon as it is granted
      departures.provenGone(leader, why.detail(), firstProofAt);
      client
          .transaction()
          .forOperations(
              client.transactionOp().check().withVersion(probed.version()).forPath(infoPath),
              client.transactionOp().delete().withVersion(nodeStat.getVersion()).forPath(node));
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      LOG.info(
          "Leader {} at {} is gone ({}), but {} or its latch node {} changed since the probes (a"
              + " newer leader): nothing deleted",
          digest,
          leader.address(),
          why.detail(),
          infoPath,
          node);
      return;
    } catch (Exception e) {
      LOG.warn(
          "Could not delete latch node {} of the dead leader {} at {}: {}; probing on",
          node,
          digest,
          leader.address(),
          e.toString());
      return;
    }
    LOG.warn(
        "Deleted latch node {} of leader {} at {} (session 0x{}): {} in {} consecutive probes, {}"
            + " ms apart; the next contender leads now instead of after the session timeout",
        node,
        digest,
        leader.address(),
        Long.toHexString(owner),
        why.detail(),
        count,
        interval.toMillis());
  }

  private void resetProofs() {
    proofs = 0;
    proven = null;
  }

  /** Logs a decision at INFO once per change of {@code key}, not once per round of proofs. */
  private void decideOnce(String key, String format, Object... args) {
    if (!key.equals(lastDecision)) {
      lastDecision = key;
      LOG.info(format, args);
    }
  }

  /** Logs at INFO once per change of {@code key}: the same observation is not logged per probe. */
  private void logOnce(String key, String format, Object... args) {
    if (!key.equals(lastLogged)) {
      lastLogged = key;
      LOG.info(format, args);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(interval.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS)) {
        LOG.warn("The leader probe of {} did not stop in time", latchPath);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    probe.close();
  }
}
