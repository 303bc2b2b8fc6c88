package io.baton.ha;

/**
 * A leader as published, and since when it leads.
 *
 * @param since epoch millis at which it published itself; null when not known
 */
public record PublishedLeader(LeaderInformation leader, Long since) {}
