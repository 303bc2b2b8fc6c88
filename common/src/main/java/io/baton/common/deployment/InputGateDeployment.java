package io.baton.common.deployment;

import java.util.List;

/** One input of a task: all channels of one incoming edge. */
public record InputGateDeployment(
    int edgeIndex, int sourceVertexId, List<InputChannelDeployment> channels) {

  public InputGateDeployment {
    channels = List.copyOf(channels);
  }
}
