package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.rendezvous.LinkNotice;
import io.jfmi.core.rendezvous.ServerRendezvous;
import io.jfmi.core.util.Deadline;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.Register;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rank that set up first may give a link up (and the server forward it) while its peer still sets up, or before
 * the peer's transport listens for such notices. The notice must neither break the peer's setup nor be dropped: a
 * CI run lost one and both ends waited 20 s for each other.
 */
class EarlyLinkNoticeTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aLinkDownThatArrivesDuringSetupIsHeldForTheTransport() throws Exception {
        String job = "early-notice";
        try (ServerRendezvous r0 = rendezvous(job, 0); ServerRendezvous r1 = rendezvous(job, 1)) {
            CompletableFuture<Void> joined1 = CompletableFuture.runAsync(() -> r1.join(registration(), deadline()));
            r0.join(registration(), deadline());
            joined1.get(20, TimeUnit.SECONDS);

            // Rank 1 gives its link to rank 0 up before rank 0 has asked for the channel plan.
            r1.reportDown(0, 1234, "eof", "test: end of stream");
            CompletableFuture<ChannelPlan> plan1 = CompletableFuture.supplyAsync(
                    () -> r1.agreeOnChannels(Set.of(0), deadline()));
            Thread.sleep(200); // the notice is on rank 0's control connection before the plan
            ChannelPlan plan0 = r0.agreeOnChannels(Set.of(), deadline());
            assertNotNull(plan0, "rank 0's setup read past the notice to its channel plan");
            plan1.get(20, TimeUnit.SECONDS);

            // Rank 0's control thread starts before its transport listens for notices, as in Communicator.connect.
            LinkedBlockingQueue<LinkNotice> notices = new LinkedBlockingQueue<>();
            r0.watch(e -> { });
            r1.reportStuck(0, 10, 5, true, false, 300);
            Thread.sleep(200);
            r0.watchLinks(notices::add);

            LinkNotice first = notices.poll(10, TimeUnit.SECONDS);
            LinkNotice.Down down = assertInstanceOf(LinkNotice.Down.class, first, "the notice held from setup");
            assertEquals(1, down.peer());
            assertEquals(1234, down.resumeFrom());
            assertTrue(down.reason().contains("end of stream"), down.reason());
            LinkNotice second = notices.poll(10, TimeUnit.SECONDS);
            LinkNotice.Stuck stuck = assertInstanceOf(LinkNotice.Stuck.class, second, "the notice read by the watcher");
            assertEquals(1, stuck.peer());
            assertEquals(5, stuck.peerReceived());
        }
    }

    private static ServerRendezvous rendezvous(String job, int rank) {
        return new ServerRendezvous(new InetSocketAddress("127.0.0.1", server.server.port()), job, rank, 2,
                TestServer.SECRET.getBytes(), 5_000, null);
    }

    private static Register registration() {
        return Register.newBuilder().addEndpoints(Endpoint.newBuilder().setHost("127.0.0.1").setPort(1))
                .setHostId("early-notice-host").build();
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(20));
    }
}
