package io.baton.coordinator.status;

/** The cluster at a glance, as {@code GET /overview} shows it. */
public record ClusterOverview(
    int taskManagers,
    int slotsTotal,
    int slotsAvailable,
    int jobsRunning,
    int jobsFinished,
    int jobsCancelled,
    int jobsFailed) {}
