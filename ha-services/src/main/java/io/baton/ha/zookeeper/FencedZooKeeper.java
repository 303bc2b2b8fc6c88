package io.baton.ha.zookeeper;

import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * The HA stores' access to ZooKeeper for one leader session. Every write is one multi-operation
 * transaction whose first operation checks the latch node the leader held when it was granted that
 * session (rule 2 of the ZooKeeper safety rules, docs/architecture.md); once that node is gone
 * (session expired, latch closed) every write fails with {@link LeadershipLostException}. Every
 * request sent is counted in {@code operations}: a transaction counts once, however many operations
 * it bundles.
 *
 * <p>Blocking calls are bounded by the client's connection timeout and retry policy.
 */
final class FencedZooKeeper {
  private static final int MAX_ATTEMPTS = 5;

  private final CuratorFramework client;
  private final String latchNode;
  private final AtomicLong operations;
  // Parents known to exist, so steady-state writes do not re-create them.
  private final Set<String> knownParents = ConcurrentHashMap.newKeySet();

  FencedZooKeeper(CuratorFramework client, String latchNode, AtomicLong operations) {
    this.client = client;
    this.latchNode = latchNode;
    this.operations = operations;
  }

  CuratorFramework client() {
    return client;
  }

  String latchNode() {
    return latchNode;
  }

  /** The node's data; empty when there is no such node. */
  Optional<byte[]> read(String path) throws IOException {
    return readWithStat(path).map(Versioned::data);
  }

  /** The node's data and version; empty when there is no such node. */
  Optional<Versioned> readWithStat(String path) throws IOException {
    operations.incrementAndGet();
    Stat stat = new Stat();
    try {
      byte[] data = client.getData().storingStatIn(stat).forPath(path);
      return Optional.of(new Versioned(data == null ? new byte[0] : data, stat.getVersion()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw failure("read " + path, e);
    }
  }

  /** The names of the node's children, unsorted; empty when there is no such node. */
  List<String> children(String path) throws IOException {
    operations.incrementAndGet();
    try {
      return client.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw failure("list " + path, e);
    }
  }

  boolean exists(String path) throws IOException {
    operations.incrementAndGet();
    try {
      return client.checkExists().forPath(path) != null;
    } catch (Exception e) {
      throw failure("check " + path, e);
    }
  }

  /**
   * Creates {@code path} with {@code data}, or replaces the data of an existing node, fenced.
   *
   * @return the data the node held before, if it existed
   */
  Optional<byte[]> put(String path, byte[] data) throws IOException {
    // Creating is the common case (a new checkpoint, a new job): one request when it works.
    if (createIfAbsent(path, data)) {
      return Optional.empty();
    }
    for (int attempt = 1; ; attempt++) {
      Optional<Versioned> existing = readWithStat(path);
      CuratorOp write =
          existing.isPresent()
              ? op(t -> t.setData().withVersion(existing.get().version()).forPath(path, data))
              : op(t -> t.create().forPath(path, data));
      try {
        commit(path, List.of(write));
        return existing.map(Versioned::data);
      } catch (KeeperException.NodeExistsException
          | KeeperException.BadVersionException
          | KeeperException.NoNodeException e) {
        // Changed between the read and the transaction: read again.
        retryOrFail(path, attempt, e);
      } catch (KeeperException e) {
        throw failure("write " + path, e);
      }
    }
  }

  /**
   * Creates {@code path} with {@code data} unless it exists, fenced.
   *
   * @return whether this call created it
   */
  boolean createIfAbsent(String path, byte[] data) throws IOException {
    try {
      commit(path, List.of(op(t -> t.create().forPath(path, data))));
      return true;
    } catch (KeeperException.NodeExistsException e) {
      return false;
    } catch (KeeperException e) {
      throw failure("create " + path, e);
    }
  }

  /**
   * Sets the data of {@code path} if its version is still {@code expectedVersion}, fenced.
   *
   * @return the node's new version
   * @throws KeeperException.BadVersionException when someone else changed it first
   */
  int compareAndSet(String path, byte[] data, int expectedVersion)
      throws IOException, KeeperException.BadVersionException {
    try {
      List<CuratorTransactionResult> results =
          commit(
              path, List.of(op(t -> t.setData().withVersion(expectedVersion).forPath(path, data))));
      return results.get(results.size() - 1).getResultStat().getVersion();
    } catch (KeeperException.BadVersionException e) {
      throw e;
    } catch (KeeperException e) {
      throw failure("write " + path, e);
    }
  }

  /**
   * Deletes {@code path}, fenced.
   *
   * @return the data it held; empty when there was no such node
   */
  Optional<byte[]> delete(String path) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Optional<Versioned> existing = readWithStat(path);
      if (existing.isEmpty()) {
        return Optional.empty();
      }
      try {
        commit(
            path, List.of(op(t -> t.delete().withVersion(existing.get().version()).forPath(path))));
        return existing.map(Versioned::data);
      } catch (KeeperException.NoNodeException e) {
        // Deleted by someone else between the read and the transaction.
        return Optional.empty();
      } catch (KeeperException.BadVersionException e) {
        retryOrFail(path, attempt, e);
      } catch (KeeperException e) {
        throw failure("delete " + path, e);
      }
    }
  }

  /**
   * Deletes every node of {@code paths} (children before their parents) in one fenced transaction;
   * nodes already gone are left out.
   */
  void deleteAll(List<String> paths) throws IOException {
    List<String> remaining = paths;
    for (int attempt = 1; ; attempt++) {
      if (remaining.isEmpty()) {
        return;
      }
      List<CuratorOp> ops = new ArrayList<>();
      for (String path : remaining) {
        ops.add(op(t -> t.delete().forPath(path)));
      }
      String what = String.join(", ", remaining);
      try {
        commit(what, ops);
        return;
      } catch (KeeperException.NoNodeException e) {
        // Some were gone already: leave those out.
        retryOrFail(what, attempt, e);
        List<String> existing = new ArrayList<>();
        for (String path : remaining) {
          if (exists(path)) {
            existing.add(path);
          }
        }
        remaining = existing;
      } catch (KeeperException e) {
        throw failure("delete " + what, e);
      }
    }
  }

  /**
   * Runs {@code ops} after a check of the latch node, as one transaction; creates the parents of
   * the nodes written first when they are missing (they are structure, not state, so that is not
   * fenced).
   *
   * @throws LeadershipLostException when the latch node is gone
   * @throws KeeperException when one of {@code ops} fails for another reason
   */
  private List<CuratorTransactionResult> commit(String what, List<CuratorOp> ops)
      throws IOException, KeeperException {
    ensureParents(ops);
    List<CuratorOp> all = new ArrayList<>(ops.size() + 1);
    all.add(op(t -> t.check().forPath(latchNode)));
    all.addAll(ops);
    for (int attempt = 1; ; attempt++) {
      operations.incrementAndGet();
      try {
        return client.transaction().forOperations(all);
      } catch (KeeperException e) {
        if (latchCheckFailed(e)) {
          throw new LeadershipLostException(
              "Write to "
                  + what
                  + " refused: latch node "
                  + latchNode
                  + " is gone, so this"
                  + " leader session no longer leads",
              e);
        }
        if (e instanceof KeeperException.NoNodeException && attempt < MAX_ATTEMPTS) {
          // A parent was removed after we saw it: create it again.
          knownParents.clear();
          if (ensureParents(ops)) {
            continue;
          }
        }
        throw e;
      } catch (Exception e) {
        throw failure("write " + what, e);
      }
    }
  }

  /** Builds one operation of a transaction (building sends nothing). */
  private CuratorOp op(OpFactory factory) {
    try {
      return factory.build(client.transactionOp());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot build a ZooKeeper operation: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface OpFactory {
    CuratorOp build(TransactionOp transaction) throws Exception;
  }

  /** Whether the failed transaction's first operation, the latch check, is what failed. */
  private static boolean latchCheckFailed(KeeperException e) {
    List<OpResult> results = e.getResults();
    if (results == null || results.isEmpty()) {
      return false;
    }
    return results.get(0) instanceof OpResult.ErrorResult error
        && error.getErr() == KeeperException.Code.NONODE.intValue();
  }

  /** Makes sure the parents of the nodes {@code ops} create exist; whether any were to create. */
  private boolean ensureParents(List<CuratorOp> ops) throws IOException {
    boolean any = false;
    for (CuratorOp op : ops) {
      if (op.getTypeAndPath().getType() == OperationType.CREATE) {
        ensureParent(op.getTypeAndPath().getForPath());
        any = true;
      }
    }
    return any;
  }

  private void ensureParent(String path) throws IOException {
    String parent = ZKPaths.getPathAndNode(path).getPath();
    if (parent.equals("/") || knownParents.contains(parent)) {
      return;
    }
    operations.incrementAndGet();
    try {
      client.create().creatingParentsIfNeeded().forPath(parent);
    } catch (KeeperException.NodeExistsException e) {
      // Fine: someone made it first.
    } catch (Exception e) {
      throw failure("create " + parent, e);
    }
    knownParents.add(parent);
  }

  private static void retryOrFail(String path, int attempt, KeeperException e) throws IOException {
    if (attempt >= MAX_ATTEMPTS) {
      throw new IOException(
          "Write to " + path + " kept conflicting after " + attempt + " attempts", e);
    }
  }

  private static IOException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (e instanceof IOException io) {
      return io;
    }
    return new IOException("Cannot " + what + " in ZooKeeper: " + e.getMessage(), e);
  }

  /** A node's data with the version it had when read. */
  record Versioned(byte[] data, int version) {}
}
