package io.baton.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, one-way stand-in for a secret (the fencing token): enough to tell two apart in {@code
 * GET /ha} and in logs, useless for impersonating the holder.
 */
public final class TokenDigest {
  private static final int HEX_CHARS = 12;

  private TokenDigest() {}

  /** The first 12 hex digits of the SHA-256 of {@code token}; null for null. */
  public static String of(String token) {
    if (token == null) {
      return null;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
