package io.baton.ha.zookeeper;

import io.baton.common.ids.JobId;
import java.io.IOException;
import java.util.Collection;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** Reads the job ids a store's children name, skipping (and logging) children that are not. */
final class JobIdChildren {
  private JobIdChildren() {}

  static <C extends Collection<JobId>> C parse(FilePointerStore store, Logger log, Supplier<C> into)
      throws IOException {
    C ids = into.get();
    for (String name : store.names()) {
      try {
        ids.add(new JobId(name));
      } catch (IllegalArgumentException e) {
        log.warn("Skipping {}: not a job id ({})", store.pathOf(name), e.getMessage());
      }
    }
    return ids;
  }
}
