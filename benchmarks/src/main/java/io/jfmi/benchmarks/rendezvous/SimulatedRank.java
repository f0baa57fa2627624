package io.jfmi.benchmarks.rendezvous;

import com.google.protobuf.ByteString;
import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ConnectReport;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.EndpointKind;
import io.jfmi.protocol.proto.Goodbye;
import io.jfmi.protocol.proto.Purpose;
import io.jfmi.protocol.proto.Register;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

/**
 * One rank reduced to its control conversation, as the real client speaks it: hello, proof of the secret,
 * registration, the peer table, a connect report (every dial to a lower rank "succeeded"), the final channel plan,
 * goodbye. Records when each step came back.
 */
final class SimulatedRank extends SimpleChannelInboundHandler<ControlMessage> {
    private final String job;
    private final int rank;
    private final int worldSize;
    private final byte[] secret;
    private final CountDownLatch done;
    private long startNanos;
    volatile long peerTableNanos = -1;
    volatile long planNanos = -1;
    volatile String failure;

    SimulatedRank(String job, int rank, int worldSize, byte[] secret, CountDownLatch done) {
        this.job = job;
        this.rank = rank;
        this.worldSize = worldSize;
        this.secret = secret;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startNanos = System.nanoTime();
        ctx.writeAndFlush(ControlMessage.newBuilder().setHello(ClientHello.newBuilder()
                .setProtocolVersion(ControlCodec.PROTOCOL_VERSION).setJobId(job).setRank(rank)
                .setWorldSize(worldSize).setPurpose(Purpose.CONTROL)).build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage m) {
        switch (m.getBodyCase()) {
            case CHALLENGE -> ctx.writeAndFlush(ControlMessage.newBuilder().setRegister(Register.newBuilder()
                    .setMac(ByteString.copyFrom(JobAuth.registrationMac(secret, m.getChallenge().getNonce()
                            .toByteArray(), Purpose.CONTROL.name(), job, rank, worldSize)))
                    .setHostId("sim-host-" + rank).addEndpoints(Endpoint.newBuilder().setHost("127.0.0.1")
                            .setPort(1).setKind(EndpointKind.LAN))).build());
            case PEER_TABLE -> {
                peerTableNanos = System.nanoTime() - startNanos;
                ctx.writeAndFlush(ControlMessage.newBuilder().setConnectReport(ConnectReport.newBuilder()
                        .addAllDirectPeers(IntStream.range(0, rank).boxed().toList())).build());
            }
            case CHANNEL_PLAN -> {
                planNanos = System.nanoTime() - startNanos;
                ctx.writeAndFlush(ControlMessage.newBuilder().setGoodbye(Goodbye.getDefaultInstance()).build())
                        .addListener(f -> ctx.close());
                done.countDown();
            }
            case ERROR -> fail(ctx, m.getError().getCode() + ": " + m.getError().getMessage());
            default -> { } // failure notices of other ranks: not expected here, and not ours to act on
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (planNanos < 0 && failure == null) {
            fail(ctx, "connection closed before the channel plan");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (failure == null && planNanos < 0) {
            failure = why;
            done.countDown();
        }
        ctx.close();
    }
}
