package io.baton.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Out-of-range values stop start-up with one line naming the key, the value and the range. */
class OptionRangeTest {
  private final ConfigurationLoader loader = new ConfigurationLoader(KnownOptions.baton());

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "rest.upload.max-bytes; -1; > 0",
        "jobmanager.program.timeout; 0; > 0 ms",
        "parallelism.default; 0; >= 1",
        "state.checkpoints.num-retained; 0; >= 1",
        "jobstore.max-capacity; -1; >= 0",
        "slot.request.timeout; 0; > 0 ms",
        "restart-strategy.exponential-delay.jitter-factor; 7; 0.0..1.0",
        "execution.checkpointing.max-concurrent-checkpoints; 0; >= 1",
        "execution.checkpointing.interval; 0; > 0 ms",
        "rest.port; 70000; 0..65535",
        "restart-strategy.exponential-delay.backoff-multiplier; 0.5; >= 1.0",
        "high-availability.zookeeper.embedded.port; -5; 0..65535",
        "state.savepoints.dir; savepoints; an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "state.savepoints.dir; /var/sp; an absolute URI (" + StorageUriForm.EXAMPLES + ")",
      })
  void badValueOnTheCommandLineStopsStartUpWithOneLine(String key, String value, String range) {
    assertThatThrownBy(() -> loader.load(null, Map.of(key, value)))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "invalid value '"
                + value
                + "' for configuration key '"
                + key
                + "': allowed range is "
                + range
                + " in the command line");
  }

  @Test
  void badValueInTheFileNamesTheFile(@TempDir Path confDir) throws IOException {
    Path file = confDir.resolve(ConfigurationLoader.FILE_NAME);
    Files.writeString(file, "slot.request.timeout: 0 s\n");

    assertThatThrownBy(() -> loader.load(confDir, Map.of()))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(
            "invalid value '0 s' for configuration key 'slot.request.timeout': allowed range is"
                + " > 0 ms in "
                + file);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "heartbeat.timeout=1 s; configuration key 'heartbeat.timeout' (1 s) must be longer than"
            + " 'heartbeat.interval' (10 s)",
        "parallelism.default=2000; configuration key 'parallelism.default' (2000) must be at most"
            + " 'parallelism.max' (1024)",
        "restart-strategy.exponential-delay.initial-backoff=2 min; configuration key"
            + " 'restart-strategy.exponential-delay.initial-backoff' (2 min) must be at most"
            + " 'restart-strategy.exponential-delay.max-backoff' (1 min)",
      })
  void valuesEachInRangeButNotTogetherStopStartUp(String override, String line) {
    String[] kv = override.split("=", 2);

    assertThatThrownBy(() -> loader.load(null, Map.of(kv[0], kv[1])))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessage(line);
  }

  @Test
  void valuesAtTheEdgesOfTheirRangesAreAccepted() {
    Configuration config =
        loader.load(
            null,
            Map.of(
                "rest.port", "0",
                "restart-strategy.exponential-delay.jitter-factor", "1",
                "jobstore.max-capacity", "0",
                "execution.checkpointing.interval", "1 ms"));

    assertThat(config.get(RestOptions.PORT)).isZero();
    assertThat(config.get(RestartStrategyOptions.EXPONENTIAL_JITTER)).isEqualTo(1.0);
    assertThat(config.get(CheckpointingOptions.INTERVAL)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void readingAnOutOfRangeValueFailsToo() {
    Configuration jobConfig = Configuration.fromMap(Map.of("parallelism.default", "-3"));

    assertThatThrownBy(() -> jobConfig.get(CoreOptions.DEFAULT_PARALLELISM))
        .hasMessage(
            "invalid value '-3' for configuration key 'parallelism.default': allowed range is >= 1");
  }

  @Test
  void notANumberIsNoDouble() {
    assertThatThrownBy(
            () ->
                loader.load(
                    null, Map.of("restart-strategy.exponential-delay.jitter-factor", "NaN")))
        .hasMessageStartingWith(
            "invalid value 'NaN' for configuration key"
                + " 'restart-strategy.exponential-delay.jitter-factor': expected Double");
  }

  /** Numbers and durations of every kind have some value that makes no sense. */
  @Test
  void everyNumberAndDurationOptionDeclaresItsRange() {
    Set<String> ordered = Set.of("Integer", "Long", "Double", "Duration");
    List<String> withoutRange =
        KnownOptions.baton().all().stream()
            .filter(option -> ordered.contains(option.typeName()))
            .filter(option -> option.range().isEmpty())
            .map(ConfigOption::key)
            .toList();

    assertThat(withoutRange).as("numeric options without a declared range").isEmpty();
  }

  @Test
  void portsAllowExactlyZeroTo65535() {
    List<ConfigOption<?>> ports =
        KnownOptions.baton().all().stream().filter(o -> o.key().endsWith(".port")).toList();

    assertThat(ports).isNotEmpty();
    for (ConfigOption<?> port : ports) {
      assertThat(port.range()).as(port.key()).isPresent();
      if (port.typeName().equals("String")) {
        // a port or a range of ports, as Flink writes metrics.reporter.prom.port
        assertThat(port.range().get().text()).as(port.key()).contains("0..65535");
      } else {
        assertThat(port.range().get().text()).as(port.key()).isEqualTo("0..65535");
      }
    }
  }

  @Test
  void declaringADefaultOutsideTheRangeIsAProgrammingError() {
    assertThatThrownBy(() -> ConfigOption.intOption("some.count", 0, "A count.").atLeast(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("default 0 of some.count is outside >= 1");
  }

  @Test
  void aRangeOnAnOptionWithoutOrderIsAProgrammingError() {
    assertThatThrownBy(() -> ConfigOption.stringOption("some.name", "x", "A name.").positive())
        .isInstanceOf(IllegalStateException.class);
  }
}
