package io.jfmi.rendezvous.control;

import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.Limits;
import io.jfmi.protocol.proto.Challenge;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.EndpointKind;
import io.jfmi.protocol.proto.Error;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.Purpose;
import io.jfmi.protocol.proto.Register;
import io.jfmi.protocol.proto.RelayReady;
import io.jfmi.rendezvous.ServerConfig;
import io.jfmi.rendezvous.job.Job;
import io.jfmi.rendezvous.job.JobRegistry;
import io.jfmi.rendezvous.job.RegistrationException;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.jfmi.rendezvous.relay.RelayPipeline;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control conversation of one connection: hello, challenge, proof of the job secret, then either
 * registration (peer table, channel plan, failure notices) or a switch to relaying data frames.
 */
public final class ControlHandler extends SimpleChannelInboundHandler<ControlMessage> {
    private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { AWAIT_HELLO, AWAIT_PROOF, REGISTERED }

    private final ServerConfig config;
    private final JobRegistry registry;
    private final ServerMetrics metrics;
    private State state = State.AWAIT_HELLO;
    private ClientHello hello;
    private byte[] nonce;
    private Job job;
    private ScheduledFuture<?> handshakeTimer;

    public ControlHandler(ServerConfig config, JobRegistry registry, ServerMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionOpened();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (state != State.REGISTERED) {
                refuse(ctx, ErrorCode.TIMEOUT, "no hello and proof within " + config.handshakeTimeout().toSeconds()
                        + " s");
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
        try {
            switch (state) {
                case AWAIT_HELLO -> onHello(ctx, msg);
                case AWAIT_PROOF -> onProof(ctx, msg);
                case REGISTERED -> onRegistered(ctx, msg);
                default -> throw new IllegalStateException("unknown state " + state);
            }
        } catch (RegistrationException e) {
            refuse(ctx, e.code(), e.getMessage());
        }
    }

    private void onHello(ChannelHandlerContext ctx, ControlMessage msg) throws RegistrationException {
        if (!msg.hasHello()) {
            throw new RegistrationException(ErrorCode.BAD_REQUEST, "expected a hello first, got " + msg.getBodyCase());
        }
        ClientHello h = msg.getHello();
        if (h.getProtocolVersion() != ControlCodec.PROTOCOL_VERSION) {
            throw new RegistrationException(ErrorCode.PROTOCOL_VERSION, "protocol version " + h.getProtocolVersion()
                    + " not supported; this server speaks " + ControlCodec.PROTOCOL_VERSION);
        }
        if (!Limits.isValidJobId(h.getJobId())) {
            throw new RegistrationException(ErrorCode.BAD_REQUEST, "job id '" + h.getJobId() + "' must be "
                    + Limits.JOB_ID_RULE);
        }
        int worldLimit = Math.min(config.maxWorldSize(), Limits.MAX_WORLD_SIZE);
        if (h.getWorldSize() < 1 || h.getWorldSize() > worldLimit) {
            throw new RegistrationException(ErrorCode.LIMIT_EXCEEDED, "world size " + h.getWorldSize() + " outside 1.."
                    + worldLimit);
        }
        if (h.getRank() < 0 || h.getRank() >= h.getWorldSize()) {
            throw new RegistrationException(ErrorCode.RANK_OUT_OF_RANGE, "rank " + h.getRank() + " outside 0.."
                    + (h.getWorldSize() - 1));
        }
        if (h.getPurpose() != Purpose.CONTROL && h.getPurpose() != Purpose.RELAY) {
            throw new RegistrationException(ErrorCode.BAD_REQUEST, "unknown connection purpose " + h.getPurpose());
        }
        if (config.secrets().secretFor(h.getJobId()).isEmpty()) {
            throw new RegistrationException(ErrorCode.AUTH_FAILED, "no secret is configured for job '"
                    + h.getJobId() + "' on this server");
        }
        hello = h;
        nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        state = State.AWAIT_PROOF;
        ctx.writeAndFlush(ControlMessage.newBuilder().setChallenge(Challenge.newBuilder()
                .setNonce(com.google.protobuf.ByteString.copyFrom(nonce))
                .setProtocolVersion(ControlCodec.PROTOCOL_VERSION)).build());
    }

    private void onProof(ChannelHandlerContext ctx, ControlMessage msg) throws RegistrationException {
        byte[] secret = config.secrets().secretFor(hello.getJobId()).orElseThrow();
        String who = "rank " + hello.getRank() + " of job '" + hello.getJobId() + "' from " + remote(ctx);
        if (hello.getPurpose() == Purpose.CONTROL) {
            if (!msg.hasRegister()) {
                throw new RegistrationException(ErrorCode.BAD_REQUEST, "expected register, got " + msg.getBodyCase());
            }
            checkMac(secret, msg.getRegister().getMac().toByteArray(), who);
            register(ctx, msg.getRegister());
        } else {
            if (!msg.hasRelayAttach()) {
                throw new RegistrationException(ErrorCode.BAD_REQUEST, "expected relay attach, got "
                        + msg.getBodyCase());
            }
            checkMac(secret, msg.getRelayAttach().getMac().toByteArray(), who);
            Job target = registry.find(hello.getJobId());
            if (target == null) {
                throw new RegistrationException(ErrorCode.JOB_NOT_READY, "job '" + hello.getJobId()
                        + "' is unknown: register its ranks before attaching relays");
            }
            cancelHandshakeTimer();
            ctx.writeAndFlush(ControlMessage.newBuilder().setRelayReady(RelayReady.getDefaultInstance()).build());
            RelayPipeline.switchTo(ctx.pipeline(), target, hello.getRank(), config.maxFramePayload(), metrics);
            target.attachRelay(hello.getRank(), ctx.channel());
        }
    }

    private void checkMac(byte[] secret, byte[] mac, String who) throws RegistrationException {
        byte[] expected = JobAuth.registrationMac(secret, nonce, hello.getPurpose().name(), hello.getJobId(),
                hello.getRank(), hello.getWorldSize());
        if (!JobAuth.matches(expected, mac)) {
            throw new RegistrationException(ErrorCode.AUTH_FAILED, "wrong job secret for " + who);
        }
    }

    private void register(ChannelHandlerContext ctx, Register r) throws RegistrationException {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        PeerInfo info = PeerInfo.newBuilder().setRank(hello.getRank()).addAllEndpoints(r.getEndpointsList())
                .setHostId(r.getHostId()).setRelayOnly(r.getRelayOnly()).setNoPunch(r.getNoPunch())
                .setObserved(Endpoint.newBuilder().setHost(remote.getAddress().getHostAddress())
                        .setPort(remote.getPort()).setKind(EndpointKind.PUBLIC))
                .build();
        job = registry.register(hello.getJobId(), hello.getRank(), hello.getWorldSize(), ctx.channel(), info);
        cancelHandshakeTimer();
        state = State.REGISTERED;
    }

    private void onRegistered(ChannelHandlerContext ctx, ControlMessage msg) throws RegistrationException {
        switch (msg.getBodyCase()) {
            case CONNECT_REPORT -> job.connectReport(hello.getRank(),
                    new HashSet<>(msg.getConnectReport().getDirectPeersList()), msg.getConnectReport().getPunched());
            case ABORT -> job.abort(hello.getRank(), msg.getAbort().getReason());
            case GOODBYE -> registry.forgetIfGone(job, job.leave(hello.getRank()));
            default -> throw new RegistrationException(ErrorCode.BAD_REQUEST, "unexpected " + msg.getBodyCase()
                    + " from a registered rank");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHandshakeTimer();
        if (job != null) {
            registry.forgetIfGone(job, job.disconnected(hello.getRank(), ctx.channel()));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            refuse(ctx, ErrorCode.FRAME_TOO_LARGE, "control frame too large: " + cause.getMessage());
        } else if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
            refuse(ctx, ErrorCode.MALFORMED_FRAME, "malformed control message: "
                    + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage()));
        } else {
            log.warn("connection {}: {}", remote(ctx), cause.toString());
            metrics.error("io");
            ctx.close();
        }
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        metrics.error(code.name().toLowerCase(Locale.ROOT));
        log.warn("refused {}{}: {}: {}", remote(ctx), hello == null ? ""
                : " (job '" + hello.getJobId() + "' rank " + hello.getRank() + ")", code, message);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(ControlMessage.newBuilder().setError(Error.newBuilder().setCode(code)
                    .setMessage(message)).build()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
    }

    private static String remote(ChannelHandlerContext ctx) {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}
