package io.baton.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TargetChooserTest {
  private static final List<FaultTarget> ALL =
      List.of(
          FaultTarget.LEADER, FaultTarget.STANDBY, FaultTarget.TASKMANAGER, FaultTarget.ZOOKEEPER);

  private static List<FaultTarget> draws(TargetChooser chooser, int n) {
    List<FaultTarget> drawn = new ArrayList<>();
    IntStream.range(0, n).forEach(i -> drawn.add(chooser.next()));
    return drawn;
  }

  @Test
  void theSameSeedDrawsTheSameTargets() {
    List<FaultTarget> first = draws(new TargetChooser(FaultTarget.RANDOM, ALL, 7), 50);
    List<FaultTarget> again = draws(new TargetChooser(FaultTarget.RANDOM, ALL, 7), 50);
    List<FaultTarget> other = draws(new TargetChooser(FaultTarget.RANDOM, ALL, 8), 50);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(first).containsAll(ALL);
  }

  @Test
  void randomDrawsOnlyWhatTheClusterHas() {
    List<FaultTarget> withoutZooKeeper =
        List.of(FaultTarget.LEADER, FaultTarget.STANDBY, FaultTarget.TASKMANAGER);

    assertThat(draws(new TargetChooser(FaultTarget.RANDOM, withoutZooKeeper, 1), 200))
        .doesNotContain(FaultTarget.ZOOKEEPER)
        .containsAll(withoutZooKeeper);
  }

  @Test
  void aNamedTargetIsAlwaysThatTarget() {
    assertThat(draws(new TargetChooser(FaultTarget.STANDBY, ALL, 3), 20))
        .containsOnly(FaultTarget.STANDBY);
  }

  @Test
  void noTargetAtAllIsRefused() {
    assertThatThrownBy(() -> new TargetChooser(FaultTarget.RANDOM, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
