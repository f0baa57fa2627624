package io.jfmi.rendezvous.job;

import io.jfmi.protocol.proto.PeerInfo;
import io.netty.channel.Channel;

/** One registered rank of a job: its control connection, what it told us, and whether it left. */
final class Member {
    final int rank;
    final Channel control;
    final PeerInfo info;
    boolean left;

    Member(int rank, Channel control, PeerInfo info) {
        this.rank = rank;
        this.control = control;
        this.info = info;
    }
}
