package io.baton.ha.zookeeper;

import io.baton.ha.LeaderContender;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A contender that remembers its current leader session and counts its revocations. */
final class RecordingContender implements LeaderContender {
  final AtomicInteger revocations = new AtomicInteger();
  volatile UUID session;

  @Override
  public void grantLeadership(UUID leaderSessionId) {
    session = leaderSessionId;
  }

  @Override
  public void revokeLeadership() {
    session = null;
    revocations.incrementAndGet();
  }
}
