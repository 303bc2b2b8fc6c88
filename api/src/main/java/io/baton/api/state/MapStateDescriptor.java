package io.baton.api.state;

/** Describes a {@link MapState}. */
public final class MapStateDescriptor<K, V> extends StateDescriptor {
  private final Class<K> keyType;
  private final Class<V> valueType;

  public MapStateDescriptor(String name, Class<K> keyType, Class<V> valueType) {
    super(name);
    this.keyType = keyType;
    this.valueType = valueType;
  }

  public Class<K> getKeyType() {
    return keyType;
  }

  public Class<V> getValueType() {
    return valueType;
  }
}
