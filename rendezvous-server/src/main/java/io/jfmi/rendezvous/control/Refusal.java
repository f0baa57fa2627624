package io.jfmi.rendezvous.control;

import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Error;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a control connection the same way from every handler: a logged, counted error message, then close. */
final class Refusal {
    private static final Logger log = LoggerFactory.getLogger(Refusal.class);

    private Refusal() {
    }

    /** Tells the peer why (code and message), then closes. {@code who} names the rank once known, else "". */
    static void refuse(ChannelHandlerContext ctx, ServerMetrics metrics, String who, ErrorCode code, String message) {
        metrics.error(code.name().toLowerCase(Locale.ROOT));
        log.warn("refused {}{}: {}: {}", ctx.channel().remoteAddress(), who, code, message);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(ControlMessage.newBuilder().setError(Error.newBuilder().setCode(code)
                    .setMessage(message)).build()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Oversized or undecodable control frames are refused with their own codes; I/O errors just close. */
    static void onException(ChannelHandlerContext ctx, ServerMetrics metrics, String who, Throwable cause) {
        Throwable tlsFailure = cause instanceof SSLException ? cause
                : cause instanceof DecoderException && cause.getCause() instanceof SSLException ? cause.getCause()
                : null;
        if (tlsFailure instanceof NotSslRecordException) {
            // No TLS error can reach a client that does not speak TLS: log, count and close.
            metrics.error("tls_not_tls");
            log.warn("refused {}{}: it does not speak TLS (a rank without --tls?)", ctx.channel().remoteAddress(),
                    who);
            ctx.close();
        } else if (tlsFailure != null) {
            metrics.error("tls_handshake");
            log.warn("refused {}{}: TLS failed: {}", ctx.channel().remoteAddress(), who, tlsFailure.getMessage());
            ctx.close();
        } else if (cause instanceof TooLongFrameException) {
            refuse(ctx, metrics, who, ErrorCode.FRAME_TOO_LARGE, "control frame too large: " + cause.getMessage());
        } else if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
            refuse(ctx, metrics, who, ErrorCode.MALFORMED_FRAME, "malformed control message: "
                    + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage()));
        } else {
            log.warn("connection {}{}: {}", ctx.channel().remoteAddress(), who, cause.toString());
            metrics.error("io");
            ctx.close();
        }
    }
}
