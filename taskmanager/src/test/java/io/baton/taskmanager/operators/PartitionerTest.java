package io.baton.taskmanager.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.functions.KeySelector;
import io.baton.api.graph.Partitioning;
import io.baton.api.tuple.Tuple2;
import io.baton.common.state.KeyGroups;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartitionerTest {

  @Test
  void forwardWritesItsOnlySubpartition() throws Exception {
    Partitioner forward = Partitioner.create(Partitioning.FORWARD, 2, 1, 128, null);

    for (int i = 0; i < 10; i++) {
      assertThat(forward.selectChannel("record " + i)).isZero();
    }
  }

  @Test
  void forwardRefusesAnAllToAllLayout() {
    assertThatThrownBy(() -> Partitioner.create(Partitioning.FORWARD, 1, 4, 128, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a FORWARD output has exactly one subpartition");
  }

  @Test
  void rebalanceGoesRoundRobinStartingAtTheProducersIndex() throws Exception {
    Partitioner rebalance = Partitioner.create(Partitioning.REBALANCE, 2, 3, 128, null);

    List<Integer> channels = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      channels.add(rebalance.selectChannel(i));
    }

    assertThat(channels).containsExactly(2, 0, 1, 2, 0, 1, 2);
  }

  @Test
  void broadcastSendsEveryRecordToAllSubpartitions() throws Exception {
    Partitioner broadcast = Partitioner.create(Partitioning.BROADCAST, 0, 5, 128, null);

    assertThat(broadcast.selectChannel("x")).isEqualTo(Partitioner.ALL_CHANNELS);
  }

  @Test
  void hashSendsEachKeyToTheSubtaskOwningItsKeyGroup() throws Exception {
    int maxParallelism = 32;
    int parallelism = 3;
    KeySelector<Tuple2<String, Integer>, String> byWord = Tuple2::f0;
    Partitioner hash =
        Partitioner.create(Partitioning.HASH, 0, parallelism, maxParallelism, byWord);
    List<HeapKeyedStateBackend> consumers = new ArrayList<>();
    for (int subtask = 0; subtask < parallelism; subtask++) {
      consumers.add(
          HeapKeyedStateBackend.forSubtask("count", subtask, parallelism, maxParallelism));
    }

    Map<Integer, Integer> perChannel = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      String word = "word-" + i;
      int channel = hash.selectChannel(Tuple2.of(word, i));

      assertThat(channel).isEqualTo(KeyGroups.subtaskForKey(word, maxParallelism, parallelism));
      // the receiving subtask's state backend accepts the key, every other one refuses it
      consumers.get(channel).setCurrentKey(word);
      for (int other = 0; other < parallelism; other++) {
        if (other != channel) {
          HeapKeyedStateBackend wrong = consumers.get(other);
          assertThatThrownBy(() -> wrong.setCurrentKey(word))
              .isInstanceOf(IllegalStateException.class);
        }
      }
      perChannel.merge(channel, 1, Integer::sum);
    }
    assertThat(perChannel).containsOnlyKeys(0, 1, 2);
  }

  @Test
  void hashIsTheSameForEqualKeysFromDifferentProducers() throws Exception {
    KeySelector<Integer, Integer> identity = x -> x;
    Partitioner fromFirst = Partitioner.create(Partitioning.HASH, 0, 4, 128, identity);
    Partitioner fromSecond = Partitioner.create(Partitioning.HASH, 1, 4, 128, identity);

    for (int key : IntStream.range(0, 100).toArray()) {
      assertThat(fromFirst.selectChannel(key)).isEqualTo(fromSecond.selectChannel(key));
    }
  }

  @Test
  void hashNeedsAKeySelectorAndNonNullKeys() {
    assertThatThrownBy(() -> Partitioner.create(Partitioning.HASH, 0, 2, 128, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a HASH output needs the edge's key selector");

    KeySelector<String, String> nothing = s -> null;
    Partitioner hash = Partitioner.create(Partitioning.HASH, 0, 2, 128, nothing);
    assertThatThrownBy(() -> hash.selectChannel("r"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the key selector returned null for record r");
  }
}
