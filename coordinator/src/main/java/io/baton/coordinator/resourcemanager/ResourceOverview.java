package io.baton.coordinator.resourcemanager;

/** Registered TaskManagers and their slots, at one moment. */
public record ResourceOverview(int taskManagers, int slotsTotal, int slotsAvailable) {}
