package io.jfmi.rendezvous;

import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.rendezvous.control.AuthHandler;
import io.jfmi.rendezvous.control.ConnectionCounters;
import io.jfmi.rendezvous.http.HttpHandler;
import io.jfmi.rendezvous.job.JobRegistry;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rendezvous server: control and relay on one port, health and metrics over HTTP on another. */
public final class RendezvousServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RendezvousServer.class);

    private final EventLoopGroup group;
    private final Channel controlChannel;
    private final Channel httpChannel;
    private final ServerMetrics metrics;
    private final JobRegistry registry;

    private RendezvousServer(EventLoopGroup group, Channel control, Channel http, ServerMetrics metrics,
            JobRegistry registry) {
        this.group = group;
        this.controlChannel = control;
        this.httpChannel = http;
        this.metrics = metrics;
        this.registry = registry;
    }

    /** Binds both ports and starts serving; throws when a port cannot be bound. */
    public static RendezvousServer start(ServerConfig config) throws InterruptedException {
        config.validate();
        ServerMetrics metrics = new ServerMetrics();
        JobRegistry registry = new JobRegistry(config.maxJobs(), config.maxWorldSize(), config.maxFramePayload(),
                config.jobIdleTimeout(), metrics);
        ConnectionCounters counters = new ConnectionCounters(config.connections());
        SslContext tls = config.tls() == null ? null : config.tls().serverContext();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        try {
            Channel control = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    // Thousands of ranks may connect at once (a Step Functions fan-out): a short accept queue drops
                    // their SYNs and each drop costs a 1 s retransmit (the kernel caps this at net.core.somaxconn).
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                SslHandler handler = tls.newHandler(ch.alloc());
                                handler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
                                ch.pipeline().addLast("tls", handler);
                            }
                            ch.pipeline()
                                    .addLast("frameDecoder", new LengthFieldBasedFrameDecoder(
                                            ControlCodec.MAX_CONTROL_MESSAGE + 4, 0, 4, 0, 4))
                                    .addLast("protobufDecoder",
                                            new ProtobufDecoder(ControlMessage.getDefaultInstance()))
                                    .addLast("frameEncoder", new LengthFieldPrepender(4))
                                    .addLast("protobufEncoder", new ProtobufEncoder())
                                    .addLast("auth", new AuthHandler(config, registry, metrics, counters));
                        }
                    }).bind(config.host(), config.port()).sync().channel();
            Channel http = null;
            if (config.httpPort() >= 0) {
                http = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpServerCodec()).addLast(new HttpObjectAggregator(8192))
                                        .addLast(new HttpHandler(metrics));
                            }
                        }).bind(config.host(), config.httpPort()).sync().channel();
            }
            long sweepMillis = Math.max(100, Math.min(5000, config.jobIdleTimeout().toMillis() / 2));
            group.next().scheduleAtFixedRate(registry::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
            RendezvousServer server = new RendezvousServer(group, control, http, metrics, registry);
            log.info("jfmi rendezvous listening on {}:{} (control, relay; {}){}; secrets from {}; max frame {} bytes, "
                    + "max {} jobs of up to {} ranks, idle jobs forgotten after {} s", config.host(), server.port(),
                    tls == null ? "plain TCP" : "TLS with " + config.tls().certificate(),
                    http == null ? ", http off" : ", http on port " + server.httpPort(), config.secrets().source(),
                    config.maxFramePayload(), config.maxJobs(), config.maxWorldSize(),
                    config.jobIdleTimeout().toSeconds());
            return server;
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) controlChannel.localAddress()).getPort();
    }

    /** The HTTP port, or -1 when HTTP is off. */
    public int httpPort() {
        return httpChannel == null ? -1 : ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public JobRegistry registry() {
        return registry;
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        controlChannel.closeFuture().sync();
    }

    @Override
    public void close() {
        registry.stopping();
        controlChannel.close();
        if (httpChannel != null) {
            httpChannel.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
