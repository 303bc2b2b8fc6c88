package io.baton.ha.zookeeper;

import io.baton.ha.LeaderInformation;
import io.baton.ha.LeaderRetrievalListener;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every leader retrieval notification in order; {@code null} stands for "no leader". */
final class RecordingListener implements LeaderRetrievalListener {
  final List<LeaderInformation> events = new CopyOnWriteArrayList<>();
  final List<Exception> errors = new CopyOnWriteArrayList<>();

  @Override
  public void handleError(Exception error) {
    errors.add(error);
  }

  @Override
  public void notifyLeaderAddress(String address, UUID leaderSessionId) {
    events.add(new LeaderInformation(leaderSessionId, address));
  }

  @Override
  public void notifyNoLeader() {
    events.add(null);
  }

  LeaderInformation last() {
    return events.isEmpty() ? null : events.get(events.size() - 1);
  }

  List<LeaderInformation> leaders() {
    return events.stream().filter(e -> e != null).toList();
  }
}
