package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The growth line of the heartbeats comparison: how a figure grows per TaskManager. */
class GrowthFitTest {

  @Test
  void fitsTheLineThroughPointsOnIt() {
    GrowthFit fit =
        GrowthFit.of(
            List.of(
                new GrowthFit.Point(200, 3.0),
                new GrowthFit.Point(1000, 7.0),
                new GrowthFit.Point(2000, 12.0)));

    assertThat(fit.slope()).isCloseTo(0.005, within(1e-12));
    assertThat(fit.intercept()).isCloseTo(2.0, within(1e-9));
    assertThat(fit.at(5000)).isCloseTo(27.0, within(1e-9));
  }

  @Test
  void fitsLeastSquaresThroughScatteredPoints() {
    // y = x with the middle point 3 too high: the least-squares line is y = x + 1
    GrowthFit fit =
        GrowthFit.of(
            List.of(
                new GrowthFit.Point(0, 0), new GrowthFit.Point(1, 4), new GrowthFit.Point(2, 2)));

    assertThat(fit.slope()).isCloseTo(1.0, within(1e-12));
    assertThat(fit.intercept()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void needsTwoDifferentCounts() {
    assertThatThrownBy(() -> GrowthFit.of(List.of(new GrowthFit.Point(200, 3))))
        .hasMessage("a growth needs two points, got 1");
    assertThatThrownBy(
            () -> GrowthFit.of(List.of(new GrowthFit.Point(200, 3), new GrowthFit.Point(200, 4))))
        .hasMessage("a growth needs two different counts");
  }
}
