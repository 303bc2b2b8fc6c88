package io.baton.taskmanager.network;

import java.io.IOException;

/** Where a channel puts what it receives: its gate. Callable from any thread. */
interface InputChannelListener {

  void onBufferOrEvent(BufferOrEvent element);

  void onFailure(int channel, IOException failure);
}
