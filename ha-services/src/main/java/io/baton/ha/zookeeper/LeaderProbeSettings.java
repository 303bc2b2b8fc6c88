package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.rpc.GrpcChannelFactory;
import java.time.Duration;

/**
 * How standbys probe the published leader ({@code high-availability.zookeeper.leader-probe.*}):
 * whether at all, every how long (also each probe's deadline), how many consecutive proofs a
 * deletion of its latch node needs, and the channels to probe through.
 */
public record LeaderProbeSettings(
    boolean enabled, Duration interval, int count, GrpcChannelFactory channels) {

  /** No probing: a dead leader's latch node lives until its session expires. */
  public static LeaderProbeSettings disabled() {
    return new LeaderProbeSettings(
        false, Duration.ofMillis(200), 3, GrpcChannelFactory.plaintext());
  }

  /** Probing as {@code interval} and {@code count} say, over plaintext channels (tests). */
  public static LeaderProbeSettings plaintext(Duration interval, int count) {
    return new LeaderProbeSettings(true, interval, count, GrpcChannelFactory.plaintext());
  }

  /**
   * The configured settings; with internal TLS the probe's channels are the TaskManagers' TLS
   * channels.
   *
   * @throws io.baton.common.config.IllegalConfigurationException with one line for a bad value or
   *     unreadable TLS stores
   */
  public static LeaderProbeSettings fromConfiguration(Configuration config) {
    if (!config.get(HighAvailabilityOptions.LEADER_PROBE_ENABLED)) {
      return disabled();
    }
    return new LeaderProbeSettings(
        true,
        config.get(HighAvailabilityOptions.LEADER_PROBE_INTERVAL),
        config.get(HighAvailabilityOptions.LEADER_PROBE_COUNT),
        GrpcChannelFactory.fromConfiguration(config));
  }
}
