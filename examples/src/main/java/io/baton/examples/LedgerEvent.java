package io.baton.examples;

/**
 * One booking of the ledger job: event {@code index} books {@code amount} on account {@code key}.
 */
public record LedgerEvent(long index, int key, long amount) {

  /**
   * Event {@code index} of a ledger with {@code keys} accounts: account index % keys, amount index.
   */
  static LedgerEvent of(long index, int keys) {
    return new LedgerEvent(index, (int) (index % keys), index);
  }
}
