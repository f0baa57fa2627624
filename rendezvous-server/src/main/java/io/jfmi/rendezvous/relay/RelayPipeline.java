package io.jfmi.rendezvous.relay;

import io.jfmi.protocol.FrameHeader;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/** Turns an authenticated control pipeline into a relay pipeline: data frames in, data frames out, no protobuf. */
public final class RelayPipeline {

    private RelayPipeline() {
    }

    /** Replaces {@code handshake} (the handler that authenticated the connection) with the relay handler. */
    public static void switchTo(ChannelPipeline p, ChannelHandler handshake, RelayedJob job, int rank,
            int maxFramePayload, int relayBufferBytes, ServerMetrics metrics) {
        // A receiver is "slow" past relayBufferBytes of unsent output; its senders pause until it drains below a
        // quarter of that.
        p.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(relayBufferBytes / 4,
                relayBufferBytes));
        p.remove("protobufEncoder");
        p.remove("frameEncoder");
        p.remove("protobufDecoder");
        p.replace("frameDecoder", "relayFrameDecoder", new LengthFieldBasedFrameDecoder(
                FrameHeader.SIZE + FrameHeader.MAX_PAD + maxFramePayload, FrameHeader.LENGTH_OFFSET, 4,
                FrameHeader.SIZE - FrameHeader.LENGTH_OFFSET - 4, 0));
        p.replace(handshake, "relay", new RelayHandler(job, rank, maxFramePayload, metrics));
    }
}
