package io.baton.coordinator.status;

/**
 * A registered TaskManager.
 *
 * @param address host:port of its RPC endpoint
 * @param lastHeartbeat epoch millis of the latest heartbeat received
 */
public record TaskManagerDetails(
    String id,
    String address,
    long lastHeartbeat,
    int slotsNumber,
    int freeSlots,
    int cpuCores,
    long physicalMemory,
    long heapUsed,
    long heapMax) {}
