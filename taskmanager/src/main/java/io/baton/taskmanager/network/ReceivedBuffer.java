package io.baton.taskmanager.network;

import io.baton.common.rpc.DataBuffer;
import java.nio.ByteBuffer;

/**
 * A {@link DataBuffer} as the consuming side reads it off the wire: the same fields, its payload a
 * view into the one array the message was read into (see {@link ReceivedBufferMarshaller}).
 *
 * @param payload positioned at the payload's first byte, limited at its end; writable and backed by
 *     an accessible array, so records are read from it in place
 */
record ReceivedBuffer(
    DataBuffer.Kind kind,
    ByteBuffer payload,
    long checkpointId,
    long timestamp,
    int recordCount,
    long sequenceNumber) {}
