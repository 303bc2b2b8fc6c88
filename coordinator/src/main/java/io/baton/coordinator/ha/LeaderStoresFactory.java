package io.baton.coordinator.ha;

import io.baton.ha.LeaderElectionService;
import io.baton.ha.LeaderStores;
import java.io.IOException;
import java.util.UUID;

/** The HA stores a leadership session writes to. */
@FunctionalInterface
public interface LeaderStoresFactory {

  /**
   * @throws io.baton.ha.LeadershipLostException when {@code sessionId} no longer leads
   */
  LeaderStores create(LeaderElectionService election, UUID sessionId) throws IOException;
}
