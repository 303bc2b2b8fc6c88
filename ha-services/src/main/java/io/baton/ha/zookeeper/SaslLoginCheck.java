package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * Tells at start-up whether the ensemble took a client's SASL login. The login happens after the
 * connection is made, and a refused one leaves the client unable to do anything while Curator's
 * recipes retry forever; so one request, which ZooKeeper answers only after the login, is sent and
 * its answer (or the client's {@code AUTH_FAILED} state) decides.
 */
final class SaslLoginCheck {
  private static final Duration REFUSAL_CHECK = Duration.ofMillis(50);

  private SaslLoginCheck() {}

  /**
   * Returns once the login was taken; closes {@code client} otherwise.
   *
   * @throws IllegalStateException with one line naming the JAAS section when the login was refused
   */
  static void verify(CuratorFramework client, Configuration config, String quorum, Duration timeout)
      throws InterruptedException {
    String login =
        "ZooKeeper quorum '"
            + quorum
            + "' refused the SASL login of JAAS section '"
            + config.get(HighAvailabilityOptions.SASL_LOGIN_CONTEXT)
            + "' in "
            + config.get(HighAvailabilityOptions.SASL_JAAS_FILE).trim()
            + " ("
            + HighAvailabilityOptions.SASL_JAAS_FILE.key()
            + "): ";
    CompletableFuture<KeeperException.Code> answer = new CompletableFuture<>();
    KeeperException.Code code;
    try {
      client
          .checkExists()
          .inBackground(
              (c, event) -> answer.complete(KeeperException.Code.get(event.getResultCode())))
          .forPath("/");
      code = awaitAnswerOrRefusal(client, answer, timeout);
    } catch (TimeoutException e) {
      client.close();
      throw new IllegalStateException(
          login
              + "no answer within "
              + timeout.toMillis()
              + " ms ("
              + HighAvailabilityOptions.CONNECTION_TIMEOUT.key()
              + ")",
          e);
    } catch (InterruptedException e) {
      client.close();
      throw e;
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException(login + e, e);
    }
    if (code == KeeperException.Code.AUTHFAILED) {
      client.close();
      throw new IllegalStateException(login + "authentication failed");
    }
  }

  /**
   * The probe's answer; {@code AUTHFAILED} as soon as the client learns that the login was refused,
   * which Curator does not always pass on to a request still waiting for the connection.
   */
  private static KeeperException.Code awaitAnswerOrRefusal(
      CuratorFramework client, CompletableFuture<KeeperException.Code> answer, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (client.getZookeeperClient().getZooKeeper().getState() == ZooKeeper.States.AUTH_FAILED) {
        return KeeperException.Code.AUTHFAILED;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return answer.get(Math.min(left, REFUSAL_CHECK.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException notYet) {
        // look at the client's state again
      }
    }
  }
}
