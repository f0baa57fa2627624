package io.jfmi.core.channel;

import io.jfmi.core.HealLinks;
import io.jfmi.core.LinkFault;
import io.jfmi.core.LinkKind;
import io.jfmi.core.SendBufferSizes;
import io.jfmi.core.rendezvous.Rendezvous;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.Connection;
import io.jfmi.core.wire.FaultyIo;
import io.jfmi.core.wire.LinkIo;
import io.jfmi.core.wire.PlainIo;
import io.jfmi.core.wire.SealedIo;
import io.jfmi.protocol.JobAuth;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Turns the outcome of link setup (direct links per peer, relayed peers) into the per-peer link table. */
public final class Links {
    private Links() {
    }

    /**
     * {@code direct} holds every established link (dialed, accepted, punched); relayed peers' are closed. With
     * {@code sealKey} (the job instance's session key) direct links seal their frames with AES-GCM.
     */
    public static Link[] assemble(int rank, int size, String jobId, List<Map<Integer, DirectLinks.Established>> direct,
            Set<Integer> relayPeers, Rendezvous rendezvous, Deadline deadline, byte[] sealKey) throws IOException {
        return assemble(rank, size, jobId, direct, relayPeers, rendezvous, deadline, sealKey, HealLinks.OFF, null,
                kind -> SendBufferSizes.fixed(0));
    }

    /**
     * As above; direct links of a kind {@code heal} covers keep what they send until acknowledged, and
     * {@code fault} (tests only, may be null) is injected into the link to one peer; {@code sendBuffers} gives
     * the SO_SNDBUF of a direct link's connections by link kind.
     */
    public static Link[] assemble(int rank, int size, String jobId, List<Map<Integer, DirectLinks.Established>> direct,
            Set<Integer> relayPeers, Rendezvous rendezvous, Deadline deadline, byte[] sealKey, HealLinks heal,
            LinkFault fault, Function<LinkKind, SendBufferSizes> sendBuffers) throws IOException {
        Link[] links = new Link[size];
        for (Map<Integer, DirectLinks.Established> m : direct) {
            for (Map.Entry<Integer, DirectLinks.Established> e : m.entrySet()) {
                int peer = e.getKey();
                DirectLinks.Established est = e.getValue();
                if (relayPeers.contains(peer)) {
                    est.close();
                    continue;
                }
                links[peer] = direct(est, rank, peer, sealKey, heal.covers(est.kind()) && est.second() == null,
                        fault != null && fault.peer() == peer ? fault : null,
                        sendBuffers.apply(est.kind()));
            }
        }
        if (!relayPeers.isEmpty()) {
            Connection relayed = rendezvous.openRelay(deadline);
            Link relay = new Link(relayed.channel(), relayed.io(), LinkKind.RELAY, -1, "relay link via "
                    + rendezvous.describe() + " (" + relayed.io().protection() + ")");
            for (int peer : relayPeers) {
                links[peer] = relay;
            }
        }
        for (int p = 0; p < size; p++) {
            if (p != rank && links[p] == null) {
                throw new IOException("no link to rank " + p + " after setup (job '" + jobId + "')");
            }
        }
        return links;
    }

    private static Link direct(DirectLinks.Established est, int rank, int peer, byte[] sealKey, boolean heals,
            LinkFault fault, SendBufferSizes sendBuffers) throws IOException {
        SocketChannel ch = est.channel();
        String description = est.kind().label() + " link to rank " + peer + " (" + est.address()
                + (est.second() != null ? ", two connections" : "") + ")";
        FaultyIo.Fault failure = fault == null ? null
                : new FaultyIo.Fault(fault.afterBytes(), fault.kind() == LinkFault.Kind.CUT);
        // Setup and most traffic are small messages: the first connection starts with their buffer.
        LinkIo io = faulty(io(ch, est.nonce(), rank, peer, sealKey, sendBuffers.smallMessages()), failure);
        DirectLinks.Second s = est.second();
        SecondConnection second = s == null ? null : new SecondConnection(s.channel(),
                faulty(io(s.channel(), s.nonce(), rank, peer, sealKey, sendBuffers.largeMessages()), failure),
                s.dialer());
        SendBufferSwitch sendBufferSwitch = sendBuffers.switches()
                ? new SendBufferSwitch(ch, sendBuffers, sendBuffers.smallMessages()) : null;
        return new Link(ch, io, est.kind(), peer, sealKey == null ? description : description + " sealed", heals,
                second, sendBufferSwitch);
    }

    private static LinkIo faulty(LinkIo io, FaultyIo.Fault failure) {
        return failure == null ? io : new FaultyIo(io, failure);
    }

    /** The connection's bytes as they are, or sealed with keys from the session key and its handshake's nonce. */
    private static LinkIo io(SocketChannel ch, byte[] nonce, int rank, int peer, byte[] sealKey, int sendBufferBytes)
            throws IOException {
        ch.socket().setTcpNoDelay(true);
        if (sendBufferBytes > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
        }
        return sealKey == null ? new PlainIo(ch) : new SealedIo(ch, JobAuth.sealKey(sealKey, rank, peer, nonce),
                JobAuth.sealKey(sealKey, peer, rank, nonce), "rank " + peer);
    }

    /** "local=[1, 2] relay=[3]" */
    public static String summary(Link[] links) {
        Map<LinkKind, Set<Integer>> byKind = new EnumMap<>(LinkKind.class);
        for (int p = 0; p < links.length; p++) {
            if (links[p] != null) {
                byKind.computeIfAbsent(links[p].kind, k -> new TreeSet<>()).add(p);
            }
        }
        StringBuilder sb = new StringBuilder();
        byKind.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k.label()).append('=').append(v));
        Set<Integer> twoConnections = new TreeSet<>();
        for (int p = 0; p < links.length; p++) {
            if (links[p] != null && links[p].second != null) {
                twoConnections.add(p);
            }
        }
        if (!twoConnections.isEmpty()) {
            sb.append(" (a second connection for large messages: ").append(twoConnections).append(')');
        }
        Set<String> protections = new TreeSet<>();
        for (Link l : links) {
            if (l != null && !l.io.protection().equals("plain")) {
                protections.add(l.kind.label() + " " + l.io.protection());
            }
        }
        if (!protections.isEmpty()) {
            sb.append(" (protected: ").append(String.join(", ", protections)).append(')');
        }
        return sb.length() == 0 ? "none (single rank)" : sb.toString();
    }
}
