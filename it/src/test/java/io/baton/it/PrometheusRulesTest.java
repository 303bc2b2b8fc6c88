package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules and the sample Prometheus configuration Baton ships pass promtool's checks,
 * and each alert fires on made-up series when it should, with the labels and text an operator gets
 * ({@code promtool test rules} on {@code prometheus/baton-alerts-test.yml}).
 */
class PrometheusRulesTest {
  @TempDir Path tmp;

  @Test
  void theShippedRulesAndSampleConfigurationPassPromtool() throws Exception {
    PrometheusTools.Result rules =
        PrometheusTools.promtool(tmp, null, "check", "rules", PrometheusTools.RULES.toString());
    assertThat(rules.exitCode()).as(rules.output()).isZero();
    assertThat(rules.output()).contains("SUCCESS: 8 rules found");

    PrometheusTools.Result config =
        PrometheusTools.promtool(
            tmp, null, "check", "config", PrometheusTools.SAMPLE_CONFIG.toString());
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(config.output()).contains("is valid prometheus config file syntax");
  }

  @Test
  void eachAlertFiresWhenItShouldWithTextNamingTheInstanceAndJob() throws Exception {
    Files.copy(PrometheusTools.RULES, tmp.resolve("baton-alerts.yml"));
    try (var test =
        Objects.requireNonNull(
            getClass().getResourceAsStream("/prometheus/baton-alerts-test.yml"))) {
      Files.copy(test, tmp.resolve("baton-alerts-test.yml"));
    }

    PrometheusTools.Result result =
        PrometheusTools.promtool(tmp, null, "test", "rules", "baton-alerts-test.yml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }
}
