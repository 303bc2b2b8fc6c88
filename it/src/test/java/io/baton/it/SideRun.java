package io.baton.it;

/**
 * One measured Ledger run of one side in one shape.
 *
 * @param millis the job's own duration as its JobManager reports it
 * @param peakHeapMiB the largest heap-before-GC of each JVM, summed over the side's JVMs
 * @param heapDetail the sum and each JVM's part, for the report's settings
 * @param cpuSeconds utime + stime of all the side's JVMs from their start to the job's end
 */
record SideRun(long millis, long peakHeapMiB, String heapDetail, double cpuSeconds) {
  double recordsPerSecond(long events) {
    return events / (millis / 1000.0);
  }
}
