package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Asks every live JobManager {@code GET /ha} every 50 ms, all at once, and keeps each claim to
 * lead.
 *
 * <p>A claim is proof that the JobManager believed it led from its {@code leaderSince} until at
 * least the moment the question was sent. Two leaderships (different fencing tokens) whose proven
 * intervals overlap were held at the same instant: split brain. Intervals are only ever shortened
 * by sampling, never stretched, so an overlap is never a false alarm; and with a sample every 50 ms
 * a leadership that outlives its successor's grant by more than that is caught.
 */
final class LeaderSampler implements AutoCloseable {
  /** One JobManager's answer that it leads, and when the question was sent (epoch ms). */
  record Claim(String jobManager, String leaderTokenDigest, long leaderSince, long askedAt) {}

  /** What is proven of one leadership: its holder and [since, last seen leading]. */
  record Leadership(String jobManager, String leaderTokenDigest, long since, long lastSeen) {
    boolean overlaps(Leadership other) {
      return since < other.lastSeen && other.since < lastSeen;
    }
  }

  private final Supplier<List<HaCluster.JobManagerProcess>> jobManagers;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "leader-sampler");
            t.setDaemon(true);
            return t;
          });
  // one thread per JobManager asked, so a slow answer does not delay the others
  private final ExecutorService askers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "leader-sampler-ask");
            t.setDaemon(true);
            return t;
          });
  private final List<Claim> claims = new ArrayList<>();
  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicInteger maxLeadersInARound = new AtomicInteger();
  // touched by the timer thread only, read after close()
  private long lastRoundStart;
  private long longestGap;

  private LeaderSampler(Supplier<List<HaCluster.JobManagerProcess>> jobManagers) {
    this.jobManagers = jobManagers;
  }

  /** Starts sampling the JobManagers {@code jobManagers} gives at each round. */
  static LeaderSampler start(Supplier<List<HaCluster.JobManagerProcess>> jobManagers) {
    LeaderSampler sampler = new LeaderSampler(jobManagers);
    sampler.timer.scheduleWithFixedDelay(sampler::sampleOnce, 0, 50, TimeUnit.MILLISECONDS);
    return sampler;
  }

  private void sampleOnce() {
    long askedAt = System.currentTimeMillis();
    if (lastRoundStart != 0) {
      longestGap = Math.max(longestGap, askedAt - lastRoundStart);
    }
    lastRoundStart = askedAt;
    List<CompletableFuture<Claim>> answers = new ArrayList<>();
    for (HaCluster.JobManagerProcess jm : jobManagers.get()) {
      answers.add(
          CompletableFuture.supplyAsync(
              () ->
                  jm.ha()
                      .filter(HaStatus::leader)
                      .map(
                          s ->
                              new Claim(
                                  jm.name(),
                                  s.leaderTokenDigest(),
                                  s.leaderSince() == null ? askedAt : s.leaderSince(),
                                  askedAt))
                      .orElse(null),
              askers));
    }
    int leaders = 0;
    for (CompletableFuture<Claim> answer : answers) {
      Claim claim = answer.join();
      if (claim != null) {
        leaders++;
        synchronized (claims) {
          claims.add(claim);
        }
      }
    }
    rounds.incrementAndGet();
    maxLeadersInARound.accumulateAndGet(leaders, Math::max);
  }

  int rounds() {
    return rounds.get();
  }

  /**
   * The longest time between the starts of two rounds, in ms. An overlap of two leaderships shorter
   * than this can go unseen, so a test bounds it instead of counting rounds, which depends on how
   * busy the machine is. Read after {@link #close()}.
   */
  long longestGapMillis() {
    return longestGap;
  }

  /** The most JobManagers that answered "leader": true in one round. */
  int maxLeadersInARound() {
    return maxLeadersInARound.get();
  }

  /** Every leadership seen, in the order it was first seen. */
  List<Leadership> leaderships() {
    Map<String, Leadership> byToken = new LinkedHashMap<>();
    synchronized (claims) {
      for (Claim c : claims) {
        String key = c.jobManager() + "/" + c.leaderTokenDigest();
        byToken.merge(
            key,
            new Leadership(c.jobManager(), c.leaderTokenDigest(), c.leaderSince(), c.askedAt()),
            (a, b) ->
                new Leadership(
                    a.jobManager(),
                    a.leaderTokenDigest(),
                    Math.min(a.since(), b.since()),
                    Math.max(a.lastSeen(), b.lastSeen())));
      }
    }
    return new ArrayList<>(byToken.values());
  }

  /**
   * Fails (AssertJ) naming every pair of leaderships proven to have been held at the same instant,
   * and the most leaders seen in one round.
   */
  void assertNoSplitBrain() {
    assertThat(splitBrains())
        .as(
            "leaderships held at the same instant (most leaders in one round: %d)",
            maxLeadersInARound())
        .isEmpty();
  }

  /** Pairs of leaderships proven to have been held at the same instant. */
  List<String> splitBrains() {
    List<Leadership> all = leaderships();
    List<String> overlaps = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        if (all.get(i).overlaps(all.get(j))) {
          overlaps.add(all.get(i) + " overlaps " + all.get(j));
        }
      }
    }
    return overlaps;
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    askers.shutdownNow();
  }
}
