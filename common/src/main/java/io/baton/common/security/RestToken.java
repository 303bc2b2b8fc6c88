package io.baton.common.security;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.SecurityOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The REST API's shared secret ({@code rest.auth.type: token}), read from {@code
 * rest.auth.token-file}. The server checks requests against it; clients send it as {@code
 * Authorization: Bearer <token>}.
 */
public final class RestToken {
  /** The header a client sends and the server checks. */
  public static final String HEADER = "Authorization";

  private static final String BEARER = "Bearer ";

  private final byte[] secret;

  private RestToken(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The configured token, or empty with {@code rest.auth.type: none}.
   *
   * @throws IllegalConfigurationException with one line when the type is token and the file is not
   *     set, missing, unreadable or empty
   */
  public static Optional<RestToken> fromConfiguration(Configuration config) {
    if (config.get(SecurityOptions.REST_AUTH_TYPE) != SecurityOptions.RestAuthType.TOKEN) {
      return Optional.empty();
    }
    String key = SecurityOptions.REST_AUTH_TOKEN_FILE.key();
    String file = config.getOptional(SecurityOptions.REST_AUTH_TOKEN_FILE).orElse("").trim();
    if (file.isEmpty()) {
      throw new IllegalConfigurationException(
          SecurityOptions.REST_AUTH_TYPE.key() + ": token needs " + key + " (the token's file)");
    }
    Path path = Path.of(file).toAbsolutePath();
    if (!Files.isRegularFile(path)) {
      throw new IllegalConfigurationException(key + ": no such file " + path);
    }
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalConfigurationException(
          key + ": cannot read " + path + ": " + e.getMessage(), e);
    }
    if (text.isEmpty()) {
      throw new IllegalConfigurationException(key + ": " + path + " is empty");
    }
    if (text.lines().count() > 1) {
      throw new IllegalConfigurationException(key + ": " + path + " must hold one line");
    }
    return Optional.of(new RestToken(text));
  }

  /** The value of the {@code Authorization} header a client sends. */
  public String headerValue() {
    return BEARER + new String(secret, StandardCharsets.UTF_8);
  }

  /**
   * Whether an {@code Authorization} header carries this token. The comparison takes as long
   * whatever the header holds, so timing tells an attacker nothing about the secret.
   */
  public boolean matches(String authorizationHeader) {
    String presented =
        authorizationHeader != null && authorizationHeader.startsWith(BEARER)
            ? authorizationHeader.substring(BEARER.length()).trim()
            : "";
    return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
  }
}
