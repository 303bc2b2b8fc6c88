package io.baton.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.tuple.Tuple2;
import io.baton.common.serialization.RecordSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.NotSerializableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaRecordSerializerTest {
  private final RecordSerializer serializer =
      RecordSerializerFactory.javaSerialization().create(getClass().getClassLoader());

  record Reading(String sensor, double value) implements java.io.Serializable {}

  @Test
  void recordsWrittenOneAfterAnotherReadBackInOrder() throws Exception {
    List<Object> records =
        List.of("text", 42, Tuple2.of("k", 1L), new Reading("s1", 20.5), List.of(1, 2));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    for (Object record : records) {
      serializer.serialize(record, out);
    }

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    for (Object record : records) {
      assertThat(serializer.deserialize(in)).isEqualTo(record);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void aRecordThatIsNotSerializableIsNamed() {
    assertThatThrownBy(
            () ->
                serializer.serialize(
                    new Object(), new DataOutputStream(new ByteArrayOutputStream())))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageStartingWith("record of type java.lang.Object cannot be sent to the next task");
  }
}
