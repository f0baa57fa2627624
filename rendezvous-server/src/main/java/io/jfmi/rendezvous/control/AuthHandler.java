package io.jfmi.rendezvous.control;

import com.google.protobuf.ByteString;
import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.Limits;
import io.jfmi.protocol.proto.Challenge;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.EndpointKind;
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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake of a new connection: hello, challenge, proof of the job secret within the handshake timeout. On
 * success it removes itself: a control connection registers its rank and continues with a {@link MemberHandler};
 * a relay connection becomes a relay pipeline.
 */
public final class AuthHandler extends SimpleChannelInboundHandler<ControlMessage> {
    private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerConfig config;
    private final JobRegistry registry;
    private final ServerMetrics metrics;
    private final ConnectionCounters counters;
    private boolean handshakeCounted;
    private ClientHello hello;
    private byte[] nonce;
    private ScheduledFuture<?> handshakeTimer;

    public AuthHandler(ServerConfig config, JobRegistry registry, ServerMetrics metrics, ConnectionCounters counters) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionOpened();
        InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        ConnectionCounters.Breach breach = counters.opened(from);
        handshakeCounted = true;
        ctx.channel().closeFuture().addListener(f -> counters.closed(from));
        if (breach != null) {
            metrics.error(breach.kind());
            Refusal.refuse(ctx, metrics, "", ErrorCode.LIMIT_EXCEEDED, breach.message());
            return;
        }
        handshakeTimer = ctx.executor().schedule(() -> Refusal.refuse(ctx, metrics, who(), ErrorCode.TIMEOUT,
                "no hello and proof within " + config.handshakeTimeout().toSeconds() + " s"),
                config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelHandshakeTimer();
        endHandshake();
    }

    private void endHandshake() {
        if (handshakeCounted) {
            handshakeCounted = false;
            counters.handshakeEnded();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHandshakeTimer();
        endHandshake();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
        try {
            if (hello == null) {
                onHello(ctx, msg);
            } else {
                onProof(ctx, msg);
            }
        } catch (RegistrationException e) {
            Refusal.refuse(ctx, metrics, who(), e.code(), e.getMessage());
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
        ctx.writeAndFlush(ControlMessage.newBuilder().setChallenge(Challenge.newBuilder()
                .setNonce(ByteString.copyFrom(nonce)).setProtocolVersion(ControlCodec.PROTOCOL_VERSION)).build());
    }

    private void onProof(ChannelHandlerContext ctx, ControlMessage msg) throws RegistrationException {
        if (hello.getPurpose() == Purpose.CONTROL) {
            if (!msg.hasRegister()) {
                throw new RegistrationException(ErrorCode.BAD_REQUEST, "expected register, got " + msg.getBodyCase());
            }
            checkMac(ctx, msg.getRegister().getMac().toByteArray());
            register(ctx, msg.getRegister());
        } else {
            if (!msg.hasRelayAttach()) {
                throw new RegistrationException(ErrorCode.BAD_REQUEST, "expected relay attach, got "
                        + msg.getBodyCase());
            }
            checkMac(ctx, msg.getRelayAttach().getMac().toByteArray());
            attachRelay(ctx);
        }
    }

    private void checkMac(ChannelHandlerContext ctx, byte[] mac) throws RegistrationException {
        byte[] secret = config.secrets().secretFor(hello.getJobId()).orElseThrow();
        byte[] expected = JobAuth.registrationMac(secret, nonce, hello.getPurpose().name(), hello.getJobId(),
                hello.getRank(), hello.getWorldSize());
        if (!JobAuth.matches(expected, mac)) {
            throw new RegistrationException(ErrorCode.AUTH_FAILED, "wrong job secret for rank " + hello.getRank()
                    + " of job '" + hello.getJobId() + "' from " + ctx.channel().remoteAddress());
        }
    }

    private void register(ChannelHandlerContext ctx, Register r) throws RegistrationException {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        PeerInfo info = PeerInfo.newBuilder().setRank(hello.getRank()).addAllEndpoints(r.getEndpointsList())
                .setHostId(r.getHostId()).setRelayOnly(r.getRelayOnly()).setNoPunch(r.getNoPunch())
                .setSealLinks(r.getSealLinks())
                .setObserved(Endpoint.newBuilder().setHost(remote.getAddress().getHostAddress())
                        .setPort(remote.getPort()).setKind(EndpointKind.PUBLIC))
                .build();
        Job job = registry.register(hello.getJobId(), hello.getRank(), hello.getWorldSize(), ctx.channel(), info);
        ctx.pipeline().replace(this, "member", new MemberHandler(job, hello.getRank(), registry, metrics));
    }

    private void attachRelay(ChannelHandlerContext ctx) throws RegistrationException {
        Job target = registry.find(hello.getJobId());
        if (target == null) {
            throw new RegistrationException(ErrorCode.JOB_NOT_READY, "job '" + hello.getJobId()
                    + "' is unknown: register its ranks before attaching relays");
        }
        target.checkRelayAttachable(hello.getRank());
        ctx.writeAndFlush(ControlMessage.newBuilder().setRelayReady(RelayReady.getDefaultInstance()).build());
        RelayPipeline.switchTo(ctx.pipeline(), this, target, hello.getRank(), config.maxFramePayload(),
                config.connections().relayBufferBytes(), metrics);
        try {
            target.attachRelay(hello.getRank(), ctx.channel());
        } catch (RegistrationException e) {
            // Lost a race with a second relay connection of the same rank; this pipeline speaks frames now.
            log.warn("closing relay connection {} of job '{}' rank {}: {}", ctx.channel().remoteAddress(),
                    hello.getJobId(), hello.getRank(), e.getMessage());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Refusal.onException(ctx, metrics, who(), cause);
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
    }

    private String who() {
        return hello == null ? "" : " (job '" + hello.getJobId() + "' rank " + hello.getRank() + ")";
    }
}
