package io.baton.api.graph;

/** How records travel along an edge from the producing subtasks to the consuming ones. */
public enum Partitioning {
  /** Subtask i sends to subtask i; both sides must have the same parallelism. */
  FORWARD,
  /** By key: a record goes to the subtask that owns its key group. */
  HASH,
  /** Round robin over all consuming subtasks. */
  REBALANCE,
  /** Every record to every consuming subtask. */
  BROADCAST
}
