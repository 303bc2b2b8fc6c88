package io.baton.ha.zookeeper;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.security.TokenDigest;
import io.baton.ha.LeaderContender;
import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderInformation;
import io.baton.ha.LeadershipLostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Curator {@link LeaderLatch}. All state lives on one thread of its own: latch
 * callbacks, connection state changes and leader info writes run there in order.
 *
 * <p>While it leads, it watches its {@code leader/info} node: when someone else changes or removes
 * it, the leader writes it again (fenced on its latch node, as the first write) and logs a WARN
 * with what it found, so readers are not left with garbage or no leader until the next failover.
 *
 * <p>While it leads it also watches its own latch node: a standby deletes it on proof that this
 * process is gone ({@link DeadLeaderDetector}); if the proof was wrong, this leader learns it here,
 * gives up leadership at once (its fenced writes fail from the deletion on anyway) and contends
 * again with a new latch node. While it does not lead, the detector probes the published leader.
 */
final class ZooKeeperLeaderElectionService implements LeaderElectionService {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderElectionService.class);

  private final CuratorFramework client;
  private final String latchPath;
  private final String infoPath;
  private final String contenderId;
  private final boolean tolerateSuspended;
  private final MainThreadExecutor mainThread;
  private final LeaderProbeSettings probeSettings;
  private final LeaderDepartureNote departures;
  private final AtomicBoolean closed = new AtomicBoolean();
  private DeadLeaderDetector detector;

  private volatile LeaderLatch latch;
  private LeaderContender contender;
  // Only written on mainThread; volatile for hasLeadership() and the stores from other threads.
  // Session and latch node change together, so a reader never pairs one grant's session with
  // another grant's node.
  private volatile Grant currentGrant;
  // Only touched on mainThread: what this leader published for currentGrant, to keep in place.
  private LeaderInformation published;
  // Connection events (type None) are left to the connection listener: a check then would block
  // this thread on a lost connection while revocation waits behind it.
  private final Watcher infoWatcher =
      event -> {
        if (event.getType() != Watcher.Event.EventType.None) {
          runOnMainThread(this::checkPublishedInfo);
        }
      };
  // Watches the latch node of the current grant; one event per watch, re-armed on other events.
  private final Watcher latchNodeWatcher =
      event -> {
        if (event.getType() != Watcher.Event.EventType.None) {
          runOnMainThread(() -> checkOwnLatchNode(event.getPath()));
        }
      };

  /**
   * A leadership: its fencing token, the latch node this contender held when granted, and what to
   * run when it ends.
   */
  record Grant(UUID session, String latchNode, List<Runnable> onRevoke) {}

  ZooKeeperLeaderElectionService(
      CuratorFramework client,
      String latchPath,
      String infoPath,
      String contenderId,
      boolean tolerateSuspended,
      LeaderProbeSettings probeSettings) {
    this.client = client;
    this.latchPath = latchPath;
    this.infoPath = infoPath;
    this.contenderId = contenderId;
    this.tolerateSuspended = tolerateSuspended;
    this.probeSettings = probeSettings;
    this.departures = LeaderDepartureNote.ofLeaderInfo(client, infoPath);
    this.mainThread =
        new SingleThreadMainThreadExecutor(
            "Leader election on " + latchPath, "leader-election " + latchPath);
  }

  @Override
  public void start(LeaderContender contender) throws Exception {
    this.contender = contender;
    client.getConnectionStateListenable().addListener(connectionListener(), mainThread);
    latch = newLatch();
    latch.start();
    LOG.info("Contending for leadership on {}", latchPath);
    if (probeSettings.enabled()) {
      ScheduledExecutorService probeThread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "leader-probe " + latchPath);
                t.setDaemon(true);
                return t;
              });
      detector =
          new DeadLeaderDetector(
              client,
              latchPath,
              infoPath,
              probeSettings,
              () -> currentGrant != null,
              probeThread,
              departures);
      detector.start();
    }
  }

  /** A latch whose callbacks run on the main thread, and only while it is the current latch. */
  private LeaderLatch newLatch() {
    LeaderLatch created = new LeaderLatch(client, latchPath, contenderId);
    created.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            if (latch == created) {
              onGranted();
            }
          }

          @Override
          public void notLeader() {
            if (latch == created) {
              revoke("the latch was lost");
            }
          }
        },
        mainThread);
    return created;
  }

  private ConnectionStateListener connectionListener() {
    return (c, state) -> {
      mainThread.assertRunningInMainThread();
      if (state == ConnectionState.LOST) {
        revoke("the ZooKeeper session was lost");
      } else if (state == ConnectionState.SUSPENDED && !tolerateSuspended) {
        revoke("the ZooKeeper connection is suspended (suspended connections are not tolerated)");
      } else if (state == ConnectionState.SUSPENDED) {
        LOG.warn("ZooKeeper connection suspended; keeping leadership until the session is lost");
      } else if (state == ConnectionState.RECONNECTED) {
        // a change to leader/info while disconnected may have gone unseen
        checkPublishedInfo();
      }
    };
  }

  private void onGranted() {
    mainThread.assertRunningInMainThread();
    if (!latch.hasLeadership() || currentGrant != null) {
      return;
    }
    UUID session = UUID.randomUUID();
    // Captured now and never re-read: after a session expiry the latch creates a new node, and
    // writes fenced on the old one must keep failing.
    currentGrant = new Grant(session, latch.getLastPathIsLeader(), new ArrayList<>());
    LOG.info(
        "Leadership granted on {} with fencing token digest {} (latch node {})",
        latchPath,
        TokenDigest.of(session.toString()),
        currentGrant.latchNode());
    contender.grantLeadership(session);
    checkOwnLatchNode(currentGrant.latchNode());
  }

  /**
   * Re-arms the watch on the current grant's latch node and, when it is gone while the latch still
   * believes it leads (someone else deleted it: a standby that took this process for dead), revokes
   * leadership and contends again with a new latch node. Main thread.
   */
  private void checkOwnLatchNode(String node) {
    mainThread.assertRunningInMainThread();
    Grant grant = currentGrant;
    if (grant == null || node == null || !node.equals(grant.latchNode()) || closed.get()) {
      return;
    }
    try {
      if (client.checkExists().usingWatcher(latchNodeWatcher).forPath(node) != null) {
        return;
      }
    } catch (Exception e) {
      // a lost connection is the connection listener's business; the watch is set again on
      // the next grant
      LOG.warn("Cannot watch latch node {}: {}", node, e.toString());
      return;
    }
    LOG.warn(
        "Latch node {} of leadership {} was deleted by someone else (a standby that took this"
            + " process for dead); giving up leadership now and contending again",
        node,
        TokenDigest.of(grant.session().toString()));
    revoke("its latch node " + node + " was deleted");
    LeaderLatch old = latch;
    latch = newLatch();
    try {
      old.close();
    } catch (Exception e) {
      LOG.warn("Could not close the deposed latch on {}: {}", latchPath, e.toString());
    }
    try {
      latch.start();
      LOG.info("Contending again for leadership on {} with a new latch node", latchPath);
    } catch (Exception e) {
      LOG.error("Cannot contend again on {}; this JobManager stays a standby", latchPath, e);
      contender.handleError(e);
    }
  }

  private void revoke(String reason) {
    mainThread.assertRunningInMainThread();
    Grant grant = currentGrant;
    if (grant == null) {
      return;
    }
    UUID session = grant.session();
    List<Runnable> onRevoke;
    published = null;
    synchronized (grant) {
      currentGrant = null;
      onRevoke = List.copyOf(grant.onRevoke());
      grant.onRevoke().clear();
    }
    for (Runnable action : onRevoke) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warn("Clean-up after leadership {} failed", TokenDigest.of(session.toString()), e);
      }
    }
    LOG.warn(
        "Leadership {} revoked because {}; the contender stops leading now",
        TokenDigest.of(session.toString()),
        reason);
    contender.revokeLeadership();
  }

  @Override
  public boolean hasLeadership(UUID leaderSessionId) {
    Grant grant = currentGrant;
    return leaderSessionId != null && grant != null && leaderSessionId.equals(grant.session());
  }

  /**
   * The latch node held when {@code leaderSessionId} was granted, for fencing store writes.
   *
   * @throws LeadershipLostException when that session is not the current leadership
   */
  String latchNodeOf(UUID leaderSessionId) throws LeadershipLostException {
    Grant grant = currentGrant;
    if (grant == null || !grant.session().equals(leaderSessionId)) {
      throw new LeadershipLostException(
          "Leader session " + leaderSessionId + " is not the current leadership on " + latchPath);
    }
    return grant.latchNode();
  }

  /**
   * Runs {@code action} once {@code leaderSessionId} is revoked (on the election's thread), or at
   * once when it is not the current leadership.
   */
  void whenRevoked(UUID leaderSessionId, Runnable action) {
    Grant grant = currentGrant;
    if (grant != null && grant.session().equals(leaderSessionId)) {
      synchronized (grant) {
        if (currentGrant == grant) {
          grant.onRevoke().add(action);
          return;
        }
      }
    }
    action.run();
  }

  @Override
  public List<String> contenders() {
    LeaderLatch current = latch;
    if (current == null) {
      return List.of();
    }
    try {
      return current.getParticipants().stream().map(p -> p.getId()).toList();
    } catch (Exception e) {
      LOG.warn("Could not list the contenders on {}", latchPath, e);
      return List.of();
    }
  }

  @Override
  public CompletableFuture<Void> confirmLeadership(LeaderInformation leader) {
    UUID leaderSessionId = leader.sessionId();
    String address = leader.address();
    return CompletableFuture.runAsync(
        () -> {
          mainThread.assertRunningInMainThread();
          if (!hasLeadership(leaderSessionId)) {
            throw new IllegalStateException(
                "Leader session " + leaderSessionId + " is not the current leadership");
          }
          try {
            Grant grant = currentGrant;
            writeLeaderInformation(
                client, grant == null ? null : grant.latchNode(), infoPath, leader);
          } catch (Exception e) {
            throw new IllegalStateException(
                "Could not publish leader info for session " + leaderSessionId, e);
          }
          published = leader;
          LOG.info(
              "Published leader {} at {} on {}",
              TokenDigest.of(leaderSessionId.toString()),
              address,
              infoPath);
          checkPublishedInfo();
        },
        mainThread);
  }

  private void runOnMainThread(Runnable action) {
    try {
      mainThread.execute(action);
    } catch (RejectedExecutionException e) {
      // closed: nothing to keep in place any more
    }
  }

  /**
   * Re-arms the watch on {@code leader/info} and, while this contender leads and has published,
   * writes its info again when the node is gone, holds other data or belongs to another session.
   * Main thread (package-private for the confinement test).
   */
  void checkPublishedInfo() {
    mainThread.assertRunningInMainThread();
    Grant grant = currentGrant;
    LeaderInformation mine = published;
    if (grant == null
        || mine == null
        || !mine.sessionId().equals(grant.session())
        || !client.getZookeeperClient().isConnected()) {
      return;
    }
    String expected = LeaderInfoText.of(mine);
    String found;
    try {
      Stat stat = client.checkExists().usingWatcher(infoWatcher).forPath(infoPath);
      if (stat == null) {
        found = "no node";
      } else {
        byte[] data = client.getData().forPath(infoPath);
        String text = new String(data, StandardCharsets.UTF_8);
        long ownSession = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (text.equals(expected) && stat.getEphemeralOwner() == ownSession) {
          return;
        }
        found =
            text.equals(expected)
                ? "this leader's data, but not as an ephemeral node of its session"
                : "'" + abbreviate(text) + "'";
      }
    } catch (KeeperException.NoNodeException e) {
      found = "no node";
    } catch (Exception e) {
      LOG.warn(
          "Cannot check leader info {} of leadership {}: {}; checking again on its next change",
          infoPath,
          TokenDigest.of(grant.session().toString()),
          e.toString());
      return;
    }
    LOG.warn(
        "Leader info {} was changed by someone else (found {}); leader {} writes it again",
        infoPath,
        found,
        TokenDigest.of(grant.session().toString()));
    try {
      writeLeaderInformation(client, grant.latchNode(), infoPath, mine);
      LOG.info(
          "Repaired leader info {} for leader {}",
          infoPath,
          TokenDigest.of(grant.session().toString()));
    } catch (Exception e) {
      LOG.warn(
          "Could not repair leader info {} for leader {}: {}; trying again on its next change",
          infoPath,
          TokenDigest.of(grant.session().toString()),
          e.toString());
    }
    // the watch armed above sees this write too: that check confirms the repair held
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace("\n", "\\n").replace("\r", "");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
  }

  /**
   * Writes {@code info} as an ephemeral node of this client's session, in one transaction that
   * checks {@code ownLatchNode} still exists: once a leader's latch node is gone (its session
   * expired, or it closed the latch) the write fails, so a deposed leader cannot publish.
   */
  static void writeLeaderInformation(
      CuratorFramework client, String ownLatchNode, String infoPath, LeaderInformation info)
      throws Exception {
    if (ownLatchNode == null) {
      throw new IllegalStateException("no latch node of this contender");
    }
    byte[] bytes = LeaderInfoText.of(info).getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; ; attempt++) {
      Stat existing = client.checkExists().forPath(infoPath);
      CuratorOp check = client.transactionOp().check().forPath(ownLatchNode);
      CuratorOp create =
          client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(infoPath, bytes);
      List<CuratorOp> ops =
          existing == null
              ? List.of(check, create)
              : List.of(
                  check,
                  client
                      .transactionOp()
                      .delete()
                      .withVersion(existing.getVersion())
                      .forPath(infoPath),
                  create);
      try {
        client.transaction().forOperations(ops);
        return;
      } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
        // Someone changed leader/info between our read and the transaction: read again.
        if (attempt >= 3) {
          throw e;
        }
      } catch (KeeperException.NoNodeException e) {
        if (client.checkExists().forPath(ownLatchNode) == null) {
          throw new IllegalStateException(
              "Latch node " + ownLatchNode + " is gone: this contender no longer leads", e);
        }
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /** Takes this leader's info down so retrieval reports no leader until the next one publishes. */
  private void removeOwnLeaderInformation() {
    mainThread.assertRunningInMainThread();
    Grant grant = currentGrant;
    if (grant == null) {
      return;
    }
    UUID session = grant.session();
    try {
      Stat stat = new Stat();
      byte[] data = client.getData().storingStatIn(stat).forPath(infoPath);
      LeaderInformation published = LeaderInfoText.parse(new String(data, StandardCharsets.UTF_8));
      if (published.sessionId().equals(session)) {
        departures.gracefulStop(contenderId, session);
        client.delete().withVersion(stat.getVersion()).forPath(infoPath);
      }
    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
      // Nothing of ours to remove.
    } catch (Exception e) {
      LOG.warn("Could not remove leader info {} on close", infoPath, e);
    }
  }

  /** The latch node this contender held when it was last granted leadership (tests only). */
  String leaderLatchNode() {
    Grant grant = currentGrant;
    return grant == null ? null : grant.latchNode();
  }

  /** How many probes of the published leader this contender made (tests); 0 without probing. */
  long probeCount() {
    return detector == null ? 0 : detector.probeCount();
  }

  /** Called on the probe's thread after each probe, before it is acted upon (tests). */
  void onProbe(BiConsumer<LeaderInformation, ProbeEvidence> listener) {
    if (detector != null) {
      detector.onProbe(listener);
    }
  }

  @Override
  public void close() throws Exception {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (detector != null) {
      detector.close();
    }
    CompletableFuture.runAsync(
            () -> {
              removeOwnLeaderInformation();
              revoke("the election service is closing");
              try {
                if (latch != null) {
                  latch.close();
                }
              } catch (Exception e) {
                LOG.warn("Could not close the leader latch on {}", latchPath, e);
              }
            },
            mainThread)
        .get(30, TimeUnit.SECONDS);
    mainThread.shutdown(Duration.ZERO);
  }
}
