package io.baton.taskmanager.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.state.ListState;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapState;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.common.state.KeyGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeapKeyedStateBackendTest {
  private static final int MAX_PARALLELISM = 16;

  /** Owns every key group, so any key is accepted. */
  private final HeapKeyedStateBackend backend =
      HeapKeyedStateBackend.forSubtask("sums", 0, 1, MAX_PARALLELISM);

  @Test
  void valueStateKeepsOneValuePerKey() {
    ValueState<Integer> sum =
        backend.getValueState(new ValueStateDescriptor<>("sum", Integer.class));

    backend.setCurrentKey("a");
    assertThat(sum.value()).isNull();
    sum.update(1);
    backend.setCurrentKey("b");
    sum.update(20);
    backend.setCurrentKey("a");
    sum.update(sum.value() + 2);

    assertThat(sum.value()).isEqualTo(3);
    backend.setCurrentKey("b");
    assertThat(sum.value()).isEqualTo(20);
    sum.clear();
    assertThat(sum.value()).isNull();
    assertThat(backend.keys()).containsExactly("a");
  }

  @Test
  void updatingAValueToNullRemovesTheKey() {
    ValueState<String> last =
        backend.getValueState(new ValueStateDescriptor<>("last", String.class));
    backend.setCurrentKey(7);
    last.update("x");
    last.update(null);

    assertThat(backend.keys()).isEmpty();
    assertThat(backend.size("last")).isZero();
  }

  @Test
  void listStateAddsUpdatesAndHandsOutCopies() {
    ListState<String> seen = backend.getListState(new ListStateDescriptor<>("seen", String.class));
    backend.setCurrentKey("k");
    assertThat(seen.get()).isEmpty();

    seen.add("one");
    seen.add("two");
    List<String> copy = seen.get();
    seen.add("three");

    assertThat(copy).containsExactly("one", "two");
    assertThat(seen.get()).containsExactly("one", "two", "three");
    assertThatThrownBy(() -> copy.add("x")).isInstanceOf(UnsupportedOperationException.class);

    List<String> replacement = new ArrayList<>(List.of("only"));
    seen.update(replacement);
    replacement.add("later");
    assertThat(seen.get()).containsExactly("only");

    seen.update(List.of());
    assertThat(backend.keys()).isEmpty();
    assertThatThrownBy(() -> seen.add(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ListState 'seen' cannot hold null");
  }

  @Test
  void mapStatePutsRemovesAndListsEntriesOfTheCurrentKeyOnly() {
    MapState<String, Long> counts =
        backend.getMapState(new MapStateDescriptor<>("counts", String.class, Long.class));
    backend.setCurrentKey("user-1");
    assertThat(counts.isEmpty()).isTrue();
    counts.put("clicks", 3L);
    counts.put("views", 10L);
    backend.setCurrentKey("user-2");
    counts.put("clicks", 1L);

    assertThat(counts.get("clicks")).isEqualTo(1L);
    assertThat(counts.contains("views")).isFalse();
    backend.setCurrentKey("user-1");
    assertThat(counts.entries())
        .containsExactlyInAnyOrder(Map.entry("clicks", 3L), Map.entry("views", 10L));

    counts.remove("clicks");
    counts.remove("views");
    assertThat(counts.isEmpty()).isTrue();
    assertThat(backend.keys()).containsExactly("user-2");
    backend.setCurrentKey("user-2");
    counts.clear();
    assertThat(backend.keys()).isEmpty();
  }

  @Test
  void valuesAreFiledUnderTheKeyGroupOfTheirKey() {
    ValueState<String> value = backend.getValueState(new ValueStateDescriptor<>("v", String.class));
    List<String> keys = IntStream.range(0, 50).mapToObj(i -> "key-" + i).toList();
    for (String key : keys) {
      backend.setCurrentKey(key);
      value.update("value of " + key);
    }

    int found = 0;
    for (int keyGroup = 0; keyGroup < MAX_PARALLELISM; keyGroup++) {
      Map<Object, Object> entries = backend.entries("v", keyGroup);
      for (Map.Entry<Object, Object> entry : entries.entrySet()) {
        assertThat(KeyGroups.keyGroupFor(entry.getKey(), MAX_PARALLELISM)).isEqualTo(keyGroup);
        assertThat(entry.getValue()).isEqualTo("value of " + entry.getKey());
        found++;
      }
    }
    assertThat(found).isEqualTo(keys.size());
    assertThat(backend.stateNames()).containsExactly("v");
  }

  @Test
  void aSubtaskOwnsItsKeyGroupRangeAndRefusesOtherKeys() {
    HeapKeyedStateBackend second = HeapKeyedStateBackend.forSubtask("sums", 1, 3, 128);
    assertThat(second.keyGroupRange())
        .isEqualTo(
            new KeyGroupRange(
                KeyGroups.firstKeyGroup(1, 128, 3), KeyGroups.lastKeyGroup(1, 128, 3)));

    String foreign =
        IntStream.range(0, 1000)
            .mapToObj(i -> "k" + i)
            .filter(k -> KeyGroups.subtaskForKey(k, 128, 3) != 1)
            .findFirst()
            .orElseThrow();
    int keyGroup = KeyGroups.keyGroupFor(foreign, 128);

    assertThatThrownBy(() -> second.setCurrentKey(foreign))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "key '"
                + foreign
                + "' belongs to key group "
                + keyGroup
                + ", outside the key groups "
                + second.keyGroupRange()
                + " of this subtask of operator 'sums': the records were partitioned to the wrong"
                + " subtask");
  }

  @Test
  void keyGroupRangesOfAllSubtasksCoverEveryKeyGroupOnce() {
    int maxParallelism = 128;
    for (int parallelism : new int[] {1, 3, 7, 128}) {
      int expectedFirst = 0;
      for (int subtask = 0; subtask < parallelism; subtask++) {
        KeyGroupRange range = KeyGroupRange.forSubtask(subtask, parallelism, maxParallelism);
        assertThat(range.first()).isEqualTo(expectedFirst);
        for (int kg = range.first(); kg <= range.last(); kg++) {
          assertThat(KeyGroups.subtaskForKeyGroup(kg, maxParallelism, parallelism))
              .isEqualTo(subtask);
        }
        expectedFirst = range.last() + 1;
      }
      assertThat(expectedFirst).isEqualTo(maxParallelism);
    }
  }

  @Test
  void forEachKeyVisitsEveryKeyWithStateAsTheCurrentKey() throws Exception {
    ValueState<Integer> value =
        backend.getValueState(new ValueStateDescriptor<>("v", Integer.class));
    ListState<Integer> list = backend.getListState(new ListStateDescriptor<>("l", Integer.class));
    backend.setCurrentKey("only value");
    value.update(1);
    backend.setCurrentKey("only list");
    list.add(2);
    backend.setCurrentKey("both");
    value.update(3);
    list.add(4);

    List<String> visited = new ArrayList<>();
    backend.<String>forEachKey(
        key -> {
          visited.add(key + "=" + value.value() + "/" + list.get());
          value.clear(); // changing state while visiting is allowed
        });

    assertThat(visited)
        .containsExactlyInAnyOrder("only value=1/[]", "only list=null/[2]", "both=3/[4]");
    assertThat(backend.keys()).containsExactlyInAnyOrder("only list", "both");
    assertThat(backend.currentKey()).isNull();
  }

  @Test
  void stateUsedWithoutACurrentKeySaysSo() {
    ValueState<Integer> value =
        backend.getValueState(new ValueStateDescriptor<>("v", Integer.class));

    assertThatThrownBy(value::value)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ValueState 'v' of operator 'sums' has no current key: keyed state can be used only"
                + " while a record is processed");
  }

  @Test
  void oneNameIsOneKindOfState() {
    ValueState<Integer> first =
        backend.getValueState(new ValueStateDescriptor<>("x", Integer.class));
    assertThat(backend.getValueState(new ValueStateDescriptor<>("x", Integer.class)))
        .isSameAs(first);

    assertThatThrownBy(() -> backend.getListState(new ListStateDescriptor<>("x", Integer.class)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "state 'x' of operator 'sums' is a ValueState and cannot be used as a ListState");
  }

  @Test
  void nullKeysAreRefused() {
    assertThatThrownBy(() -> backend.setCurrentKey(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key selector of operator 'sums' returned null");
  }
}
