package io.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PortRangeTest {

  @Test
  void readsAPortARangeAndAnyFreePort() {
    assertThat(PortRange.parse("9250")).isEqualTo(new PortRange(9250, 9250));
    assertThat(PortRange.parse(" 9250 - 9260 ")).isEqualTo(new PortRange(9250, 9260));
    assertThat(PortRange.parse("0").anyFree()).isTrue();
    assertThat(PortRange.parse("9250-9260")).hasToString("9250-9260");
  }

  @Test
  void refusesWhatIsNoPortOrAnEmptyRange() {
    for (String bad : new String[] {"", "port", "9260-9250", "70000", "0-10", "9250-", "-1"}) {
      assertThat(PortRange.isValid(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> PortRange.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aBadPrometheusPortIsOneLineNamingTheKey() {
    assertThatThrownBy(
            () ->
                Configuration.fromMap(Map.of("metrics.reporter.prom.port", "92x0"))
                    .get(MetricOptions.PROMETHEUS_PORT))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "invalid value '92x0' for configuration key 'metrics.reporter.prom.port': allowed"
                + " range is a port 0..65535 or a range like 9250-9260");
  }
}
