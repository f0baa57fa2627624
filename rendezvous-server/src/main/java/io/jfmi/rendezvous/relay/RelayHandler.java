package io.jfmi.rendezvous.relay;

import io.jfmi.protocol.FrameHeader;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Error;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards whole data frames from one rank to another rank of the same job. A frame must name its sender as
 * the authenticated rank and a destination inside the job, so no rank can reach another job or pose as a peer.
 * Backpressure: when the destination's output passes its high water mark the sender stops being read until the
 * destination drains, so the server buffers at most a frame per sender plus the water mark per receiver.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);
    /** Senders paused because this channel (a receiver) was not writable. */
    private static final AttributeKey<Set<Channel>> PAUSED_SENDERS = AttributeKey.valueOf("jfmi.pausedSenders");

    private final RelayedJob job;
    private final int rank;
    private final int maxFramePayload;
    private final ServerMetrics metrics;

    RelayHandler(RelayedJob job, int rank, int maxFramePayload, ServerMetrics metrics) {
        this.job = job;
        this.rank = rank;
        this.maxFramePayload = maxFramePayload;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        ByteBuffer header = frame.nioBuffer(frame.readerIndex(), FrameHeader.SIZE);
        String problem = FrameHeader.problem(header, 0, maxFramePayload);
        int src = FrameHeader.src(header, 0);
        int dst = FrameHeader.dst(header, 0);
        if (problem == null && src != rank) {
            problem = "frame claims sender rank " + src + " but this relay connection belongs to rank " + rank;
        }
        if (problem == null && (dst < 0 || dst >= job.worldSize() || dst == rank)) {
            problem = "frame destination rank " + dst + " is not another rank of job '" + job.id() + "'";
        }
        if (problem != null) {
            String what = FrameHeader.describe(header, 0);
            frame.release();
            reject(ctx, ErrorCode.MALFORMED_FRAME, problem + " (" + what + ")");
            return;
        }
        Channel target = job.routeOrHold(dst, frame, ctx.channel());
        if (target == null) {
            return; // held until the destination attaches; this sender is paused meanwhile
        }
        metrics.relayed(frame.readableBytes());
        target.writeAndFlush(frame);
        if (!target.isWritable()) {
            pause(ctx.channel(), target);
        }
    }

    private void pause(Channel sender, Channel target) {
        Set<Channel> paused = target.attr(PAUSED_SENDERS).setIfAbsent(ConcurrentHashMap.newKeySet());
        if (paused == null) {
            paused = target.attr(PAUSED_SENDERS).get();
        }
        sender.config().setAutoRead(false);
        paused.add(sender);
        metrics.relayPaused();
        if (target.isWritable() || !target.isActive()) {
            resumeSendersOf(target); // drained (or gone) while we were pausing: do not strand the sender
        }
    }

    private static void resumeSendersOf(Channel target) {
        Set<Channel> paused = target.attr(PAUSED_SENDERS).get();
        if (paused == null) {
            return;
        }
        for (Channel sender : paused) {
            if (paused.remove(sender)) {
                sender.config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resumeSendersOf(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        resumeSendersOf(ctx.channel());
        log.info("job '{}' rank {} relay connection closed", job.id(), rank);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            reject(ctx, ErrorCode.FRAME_TOO_LARGE, "relayed frame larger than " + maxFramePayload
                    + " payload bytes: " + cause.getMessage());
        } else {
            log.warn("job '{}' rank {} relay connection: {}", job.id(), rank, cause.toString());
            metrics.error("io");
            ctx.close();
        }
    }

    private void reject(ChannelHandlerContext ctx, ErrorCode code, String problem) {
        metrics.error(code.name().toLowerCase(java.util.Locale.ROOT));
        log.warn("job '{}' rank {}: closing its relay connection: {}", job.id(), rank, problem);
        job.reportError(rank, ControlMessage.newBuilder().setError(Error.newBuilder().setCode(code)
                .setMessage("relay closed: " + problem)).build());
        ctx.close();
    }
}
