package io.baton.taskmanager.operators;

/**
 * The state of one source or sink of a chain as of a checkpoint.
 *
 * @param operatorIndex position in the chain, head = 0
 * @param operatorUid the operator's stable uid
 * @param kind "source" or "sink"
 * @param state what the reader or writer returned from snapshotState
 */
public record OperatorSnapshot(int operatorIndex, String operatorUid, String kind, byte[] state) {
  public static final String SOURCE = "source";
  public static final String SINK = "sink";
}
