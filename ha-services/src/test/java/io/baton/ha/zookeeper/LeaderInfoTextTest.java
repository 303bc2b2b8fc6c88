package io.baton.ha.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.ha.LeaderInformation;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The text of {@code leader/info}: today's four lines, and what older leaders wrote. */
class LeaderInfoTextTest {
  private final UUID session = UUID.fromString("6a1c1c2e-93a4-4a51-9e0f-6f1d5f0d7a11");

  @Test
  void theInstanceIdIsWrittenAndReadBack() {
    LeaderInformation leader =
        new LeaderInformation(session, "jm-1:6123", "http://jm-1:8081", "4f0c-instance");

    assertThat(LeaderInfoText.of(leader))
        .isEqualTo("jm-1:6123\n" + session + "\nhttp://jm-1:8081\n4f0c-instance");
    assertThat(LeaderInfoText.parse(LeaderInfoText.of(leader))).isEqualTo(leader);
  }

  @Test
  void aLeaderWithoutRestKeepsAnEmptyRestLineBeforeItsInstanceId() {
    LeaderInformation leader = new LeaderInformation(session, "jm-1:6123", "", "i-1");

    assertThat(LeaderInfoText.parse(LeaderInfoText.of(leader))).isEqualTo(leader);
  }

  @Test
  void theTwoAndThreeLineFormsOfOlderLeadersStillParseWithoutAnInstanceId() {
    assertThat(LeaderInfoText.parse("jm-1:6123\n" + session))
        .isEqualTo(new LeaderInformation(session, "jm-1:6123", "", ""));
    assertThat(LeaderInfoText.parse("jm-1:6123\n" + session + "\nhttp://jm-1:8081"))
        .isEqualTo(new LeaderInformation(session, "jm-1:6123", "http://jm-1:8081", ""));
    assertThat(LeaderInfoText.of(new LeaderInformation(session, "jm-1:6123", "http://x:1")))
        .isEqualTo("jm-1:6123\n" + session + "\nhttp://x:1");
  }

  @Test
  void aGarbledInstanceIdIsOneLineNamingWhatIsWrong() {
    assertThatThrownBy(
            () -> LeaderInfoText.parse("jm-1:6123\n" + session + "\nhttp://x:1\nrm -rf /"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("leader info has no valid instance id")
        .hasMessageContaining("rm -rf /")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> LeaderInfoText.parse("a\n" + session + "\nb\nc\nd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("leader info is not '<address>\\n<session id>")
        .hasMessageNotContaining("\n");
  }
}
