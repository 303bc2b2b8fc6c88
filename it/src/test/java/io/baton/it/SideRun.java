package io.baton.it;

/**
 * One measured Ledger run of one side in one shape.
 *
 * @param millis the job's own duration as its JobManager reports it
 * @param peakHeapMiB the largest heap-before-GC of each JVM, summed over the side's JVMs
 * @param heapDetail the sum and each JVM's part, for the report's settings
 * @param cpuSeconds utime + stime of all the side's JVMs from their start to the job's end
 * @param idleHeap the cluster's heap after a full GC before the job, or null where the side has no
 *     idle cluster (Flink's local cluster lives only while its job runs)
 */
record SideRun(
    long millis, long peakHeapMiB, String heapDetail, double cpuSeconds, IdleHeap idleHeap) {
  double recordsPerSecond(long events) {
    return events / (millis / 1000.0);
  }
}
