package io.baton.taskmanager.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.state.ListState;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapState;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.common.serialization.TaggedRecordSerializer;
import io.baton.common.state.KeyGroups;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyedStateSnapshotTest {
  private static final int MAX_PARALLELISM = 16;

  private final HeapKeyedStateBackend all =
      HeapKeyedStateBackend.forSubtask("op", 0, 1, MAX_PARALLELISM);

  @Test
  void aSnapshotKeepsTheStateAsItWasWhenCutWhileProcessingGoesOn() throws Exception {
    ValueState<Integer> sum = all.getValueState(new ValueStateDescriptor<>("sum", Integer.class));
    ListState<String> seen = all.getListState(new ListStateDescriptor<>("seen", String.class));
    MapState<String, Long> counts =
        all.getMapState(new MapStateDescriptor<>("counts", String.class, Long.class));
    all.setCurrentKey("a");
    sum.update(1);
    seen.add("x");
    counts.put("x", 1L);

    KeyedStateSnapshot snapshot = all.snapshot();
    sum.update(2);
    seen.add("y");
    counts.put("y", 1L);
    HeapKeyedStateBackend restored = HeapKeyedStateBackend.forSubtask("op", 0, 1, MAX_PARALLELISM);
    KeyedStateSnapshot.restoreInto(read(write(snapshot)), serializer(), restored);

    restored.setCurrentKey("a");
    assertThat(restored.getValueState(new ValueStateDescriptor<>("sum", Integer.class)).value())
        .isEqualTo(1);
    assertThat(restored.getListState(new ListStateDescriptor<>("seen", String.class)).get())
        .containsExactly("x");
    assertThat(
            restored
                .getMapState(new MapStateDescriptor<>("counts", String.class, Long.class))
                .get("y"))
        .isNull();
    // the restored collections are the backend's own again: they can grow
    restored.getListState(new ListStateDescriptor<>("seen", String.class)).add("z");
    assertThat(restored.getListState(new ListStateDescriptor<>("seen", String.class)).get())
        .containsExactly("x", "z");
  }

  @Test
  void aRestoringSubtaskKeepsOnlyItsOwnKeyGroups() throws Exception {
    ValueState<Integer> sum = all.getValueState(new ValueStateDescriptor<>("sum", Integer.class));
    Map<Integer, Integer> expectedInSecondHalf = new HashMap<>();
    for (int key = 0; key < 50; key++) {
      all.setCurrentKey(key);
      sum.update(key * 10);
      int keyGroup = KeyGroups.keyGroupFor(key, MAX_PARALLELISM);
      if (keyGroup >= KeyGroups.firstKeyGroup(1, MAX_PARALLELISM, 2)) {
        expectedInSecondHalf.put(key, key * 10);
      }
    }
    HeapKeyedStateBackend second = HeapKeyedStateBackend.forSubtask("op", 1, 2, MAX_PARALLELISM);

    int keyGroups =
        KeyedStateSnapshot.restoreInto(read(write(all.snapshot())), serializer(), second);

    assertThat(keyGroups).isEqualTo(second.keyGroupRange().size());
    ValueState<Integer> restored =
        second.getValueState(new ValueStateDescriptor<>("sum", Integer.class));
    Map<Object, Integer> values = new HashMap<>();
    for (Object key : second.keys()) {
      second.setCurrentKey(key);
      values.put(key, restored.value());
    }
    assertThat(values).isEqualTo(Map.copyOf(expectedInSecondHalf));
  }

  @Test
  void aSnapshotOfAnotherMaxParallelismIsRefused() throws Exception {
    all.getValueState(new ValueStateDescriptor<>("sum", Integer.class));
    HeapKeyedStateBackend other = HeapKeyedStateBackend.forSubtask("op", 0, 1, 32);
    byte[] bytes = write(all.snapshot());

    assertThatThrownBy(() -> KeyedStateSnapshot.restoreInto(read(bytes), serializer(), other))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("max parallelism 16")
        .hasMessageContaining("now has 32");
  }

  private static byte[] write(KeyedStateSnapshot snapshot) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    snapshot.writeTo(out, serializer());
    out.flush();
    return bytes.toByteArray();
  }

  private static DataInputStream read(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }

  private static TaggedRecordSerializer serializer() {
    return new TaggedRecordSerializer(KeyedStateSnapshotTest.class.getClassLoader());
  }
}
