package io.baton.api.state;

/** Describes a {@link ValueState}. */
public final class ValueStateDescriptor<T> extends StateDescriptor {
  private final Class<T> type;

  public ValueStateDescriptor(String name, Class<T> type) {
    super(name);
    this.type = type;
  }

  public Class<T> getType() {
    return type;
  }
}
