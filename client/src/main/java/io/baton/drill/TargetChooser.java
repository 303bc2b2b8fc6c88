package io.baton.drill;

import java.util.List;
import java.util.Random;

/**
 * Picks what each fault hits: the target asked for, or for {@code random} one of the targets the
 * cluster has, drawn from a generator seeded with {@code --seed} so a drill can be repeated.
 */
final class TargetChooser {
  private final FaultTarget asked;
  private final List<FaultTarget> available;
  private final Random random;

  /**
   * @param available the concrete targets this cluster has (never {@link FaultTarget#RANDOM})
   */
  TargetChooser(FaultTarget asked, List<FaultTarget> available, long seed) {
    if (available.isEmpty()) {
      throw new IllegalArgumentException("no target available");
    }
    this.asked = asked;
    this.available = List.copyOf(available);
    this.random = new Random(seed);
  }

  FaultTarget next() {
    return asked == FaultTarget.RANDOM ? available.get(random.nextInt(available.size())) : asked;
  }

  /** One of {@code candidates}, drawn from the same seeded generator. */
  <T> T pick(List<T> candidates) {
    return candidates.get(random.nextInt(candidates.size()));
  }
}
