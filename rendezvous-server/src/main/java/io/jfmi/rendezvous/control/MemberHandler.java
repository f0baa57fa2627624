package io.jfmi.rendezvous.control;

import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.rendezvous.job.Job;
import io.jfmi.rendezvous.job.JobRegistry;
import io.jfmi.rendezvous.job.RegistrationException;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.HashSet;

/**
 * The control conversation of a registered rank, after {@link AuthHandler}: connect reports, aborts, join
 * status questions and the goodbye; a close without a goodbye is a lost rank, which its job tells the others of.
 */
final class MemberHandler extends SimpleChannelInboundHandler<ControlMessage> {
    private final Job job;
    private final int rank;
    private final JobRegistry registry;
    private final ServerMetrics metrics;

    MemberHandler(Job job, int rank, JobRegistry registry, ServerMetrics metrics) {
        this.job = job;
        this.rank = rank;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ControlMessage msg) {
        try {
            switch (msg.getBodyCase()) {
                case CONNECT_REPORT -> job.connectReport(rank, new HashSet<>(msg.getConnectReport()
                        .getDirectPeersList()), msg.getConnectReport().getPunched());
                case ABORT -> job.abort(rank, msg.getAbort().getReason());
                case GOODBYE -> registry.forgetIfGone(job, job.leave(rank));
                case LINK_STUCK -> job.linkStuck(rank, msg.getLinkStuck());
                case LINK_DOWN -> job.linkDown(rank, msg.getLinkDown());
                case JOIN_STATUS_REQUEST -> ctx.writeAndFlush(ControlMessage.newBuilder()
                        .setJoinStatus(job.joinStatus()).build());
                default -> throw new RegistrationException(ErrorCode.BAD_REQUEST, "unexpected " + msg.getBodyCase()
                        + " from a registered rank");
            }
        } catch (RegistrationException e) {
            if (e.code() == ErrorCode.PEER_GONE) {
                // The rank is still a member: it learns why its link cannot heal and fails its call itself.
                ctx.writeAndFlush(ControlMessage.newBuilder().setError(io.jfmi.protocol.proto.Error.newBuilder()
                        .setCode(e.code()).setMessage(e.getMessage())).build());
                return;
            }
            Refusal.refuse(ctx, metrics, who(), e.code(), e.getMessage());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        registry.forgetIfGone(job, job.disconnected(rank, ctx.channel()));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Refusal.onException(ctx, metrics, who(), cause);
    }

    private String who() {
        return " (job '" + job.id() + "' rank " + rank + ")";
    }
}
