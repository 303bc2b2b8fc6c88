package io.baton.taskmanager.task;

import io.baton.taskmanager.operators.OperatorSnapshot;
import io.baton.taskmanager.state.KeyedStateSnapshot;
import java.net.URI;
import java.util.List;

/**
 * What a task cut synchronously for one checkpoint, still to be written.
 *
 * @param checkpointId the checkpoint
 * @param directory where its files go
 * @param keyed the keyed head's state copy, or null when the chain has no keyed head
 * @param keyedOperatorUid the keyed head's uid (null without one)
 * @param operators the source and sink states
 * @param syncMillis how long the cut took
 * @param alignmentMillis how long the barriers took to align (0 for sources)
 */
record CheckpointCut(
    long checkpointId,
    URI directory,
    KeyedStateSnapshot keyed,
    String keyedOperatorUid,
    List<OperatorSnapshot> operators,
    long syncMillis,
    long alignmentMillis) {}
