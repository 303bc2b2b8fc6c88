package io.baton.yarn;

import java.util.List;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;

/**
 * The callback handler of the ApplicationMaster's one AM-RM client, which outlives the worker
 * drivers of its leadership sessions: it hands YARN's calls to the current driver. Containers
 * allocated while no driver listens are released at once.
 */
public final class ForwardingCallbacks extends AMRMClientAsync.AbstractCallbackHandler {
  private volatile AMRMClientAsync.AbstractCallbackHandler target;
  private volatile AMRMClientAsync<?> client;

  /** The client these callbacks belong to, for releasing containers nobody waits for. */
  public void attach(AMRMClientAsync<?> client) {
    this.client = client;
  }

  /** Sends YARN's calls to {@code handler}, or nowhere when null. */
  public void forwardTo(AMRMClientAsync.AbstractCallbackHandler handler) {
    this.target = handler;
  }

  @Override
  public void onContainersCompleted(List<ContainerStatus> statuses) {
    AMRMClientAsync.AbstractCallbackHandler t = target;
    if (t != null) {
      t.onContainersCompleted(statuses);
    }
  }

  @Override
  public void onContainersAllocated(List<Container> containers) {
    AMRMClientAsync.AbstractCallbackHandler t = target;
    if (t != null) {
      t.onContainersAllocated(containers);
    } else if (client != null) {
      containers.forEach(c -> client.releaseAssignedContainer(c.getId()));
    }
  }

  @Override
  public void onContainersUpdated(List<UpdatedContainer> containers) {}

  @Override
  public void onShutdownRequest() {
    AMRMClientAsync.AbstractCallbackHandler t = target;
    if (t != null) {
      t.onShutdownRequest();
    }
  }

  @Override
  public void onNodesUpdated(List<NodeReport> updatedNodes) {}

  @Override
  public float getProgress() {
    return 0;
  }

  @Override
  public void onError(Throwable e) {
    AMRMClientAsync.AbstractCallbackHandler t = target;
    if (t != null) {
      t.onError(e);
    }
  }
}
