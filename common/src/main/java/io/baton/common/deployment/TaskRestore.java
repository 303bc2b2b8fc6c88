package io.baton.common.deployment;

import io.baton.common.checkpoint.StateFileHandle;
import java.util.List;
import java.util.Objects;

/**
 * The state a task starts from.
 *
 * @param checkpointId the checkpoint or savepoint restored from
 * @param directory its directory: every state file must lie inside it, or the TaskManager refuses
 *     to read it
 */
public record TaskRestore(long checkpointId, List<StateFileHandle> state, String directory) {

  public TaskRestore {
    state = List.copyOf(state);
    Objects.requireNonNull(directory, "directory");
  }
}
