package io.jfmi.rendezvous.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChannelPlanningTest {
    private static final RankFacts HOST_A = new RankFacts(false, "a");
    private static final RankFacts HOST_B = new RankFacts(false, "b");
    private static final RankFacts NAT_A = new RankFacts(true, "nat-a");
    private static final RankFacts NAT_A2 = new RankFacts(true, "nat-a2");
    private static final RankFacts NAT_B = new RankFacts(true, "nat-b");

    @Test
    void allDialsSucceedGiveAFinalPlanWithoutRelayAtTheLastReport() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(HOST_A, HOST_A, HOST_B));
        assertEquals(Optional.empty(), planning.dialReport(0, Set.of()));
        assertEquals(Optional.empty(), planning.dialReport(2, Set.of(0, 1)));
        PlanRound round = planning.dialReport(1, Set.of(0)).orElseThrow();
        assertTrue(round.isFinal());
        assertEquals(Map.of(0, Set.of(), 1, Set.of(), 2, Set.of()), relayByRank(round));
        assertEquals(Map.of(0, Set.of(), 1, Set.of(), 2, Set.of()), punchByRank(round));
        assertEquals(new PlanRound.PairCounts(1, 2, 0, 0), round.counts());
    }

    @Test
    void aRankThatReportsLateHoldsTheRoundBackUntilItReports() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(HOST_A, HOST_A, HOST_A, HOST_A));
        for (int rank : new int[] {3, 0, 1}) {
            assertEquals(Optional.empty(), planning.dialReport(rank, lowerThan(rank)), "rank " + rank);
        }
        assertTrue(planning.dialReport(2, lowerThan(2)).orElseThrow().isFinal());
    }

    @Test
    void aFailedDialIsRelayedOnBothSidesWhenThePairCannotPunch() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(HOST_A, NAT_B, HOST_B));
        planning.dialReport(0, Set.of());
        planning.dialReport(1, Set.of()); // 1 failed to reach 0; 0 is not punchable
        PlanRound round = planning.dialReport(2, Set.of(0, 1)).orElseThrow();
        assertTrue(round.isFinal());
        assertEquals(Map.of(0, Set.of(1), 1, Set.of(0), 2, Set.of()), relayByRank(round));
        assertEquals(new PlanRound.PairCounts(0, 2, 0, 1), round.counts());
    }

    @Test
    void punchableFailedPairsPunchAndAMutualReportMakesThemPunched() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(NAT_A, NAT_A2, NAT_B));
        planning.dialReport(0, Set.of());
        planning.dialReport(1, Set.of(0));
        PlanRound punch = planning.dialReport(2, Set.of()).orElseThrow();
        assertFalse(punch.isFinal());
        assertEquals(Map.of(0, Set.of(2), 1, Set.of(2), 2, Set.of(0, 1)), punchByRank(punch));
        assertEquals(Map.of(0, Set.of(2), 1, Set.of(2), 2, Set.of(0, 1)), relayByRank(punch));
        assertEquals(Optional.empty(), planning.punchReport(2, Set.of(0, 1)));
        assertEquals(Optional.empty(), planning.punchReport(0, Set.of(2)));
        PlanRound last = planning.punchReport(1, Set.of(2)).orElseThrow();
        assertTrue(last.isFinal());
        assertEquals(Map.of(0, Set.of(), 1, Set.of(), 2, Set.of()), relayByRank(last));
        assertEquals(new PlanRound.PairCounts(0, 1, 2, 0), last.counts());
    }

    @Test
    void aPunchThatSucceedsOnOneSideOnlyStaysRelayed() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(NAT_A, NAT_B));
        planning.dialReport(0, Set.of());
        assertFalse(planning.dialReport(1, Set.of()).orElseThrow().isFinal());
        planning.punchReport(0, Set.of(1));
        PlanRound last = planning.punchReport(1, Set.of()).orElseThrow();
        assertEquals(Map.of(0, Set.of(1), 1, Set.of(0)), relayByRank(last));
        assertEquals(new PlanRound.PairCounts(0, 0, 0, 1), last.counts());
    }

    @Test
    void aPunchedLinkToAPeerNotAskedToPunchDoesNotCount() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(NAT_A, NAT_B, HOST_B));
        planning.dialReport(0, Set.of());
        planning.dialReport(1, Set.of());
        PlanRound punch = planning.dialReport(2, Set.of(1)).orElseThrow(); // 2 -> 0 failed, 2 cannot punch
        assertEquals(Map.of(0, Set.of(1), 1, Set.of(0), 2, Set.of()), punchByRank(punch));
        planning.punchReport(0, Set.of(1, 2));
        planning.punchReport(1, Set.of(0));
        PlanRound last = planning.punchReport(2, Set.of(0)).orElseThrow();
        assertEquals(Map.of(0, Set.of(2), 1, Set.of(), 2, Set.of(0)), relayByRank(last));
        assertEquals(new PlanRound.PairCounts(0, 1, 1, 1), last.counts());
    }

    @Test
    void aSingleRankPlansAtOnce() throws Exception {
        PlanRound round = new ChannelPlanning(List.of(HOST_A)).dialReport(0, Set.of()).orElseThrow();
        assertTrue(round.isFinal());
        assertEquals(new PlanRound.PairCounts(0, 0, 0, 0), round.counts());
    }

    @Test
    void reportsThatBreakTheRulesAreRefusedWithTheRankNamed() throws Exception {
        ChannelPlanning planning = new ChannelPlanning(List.of(HOST_A, HOST_A, HOST_A));
        assertMessage("rank 1 reports dialing rank 2", () -> planning.dialReport(1, Set.of(2)));
        assertMessage("names rank 7", () -> planning.dialReport(2, Set.of(7)));
        assertMessage("outside 0..2", () -> planning.dialReport(3, Set.of()));
        assertMessage("no punch round", () -> planning.punchReport(0, Set.of()));
        planning.dialReport(2, Set.of(0, 1));
        assertMessage("second dial report", () -> planning.dialReport(2, Set.of(0)));
        planning.dialReport(0, Set.of());
        planning.dialReport(1, Set.of(0));
        assertMessage("after the dial round ended", () -> planning.dialReport(1, Set.of(0)));
    }

    private interface Report {
        Optional<PlanRound> call() throws PlanException;
    }

    private static void assertMessage(String part, Report report) {
        PlanException e = assertThrows(PlanException.class, report::call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static Set<Integer> lowerThan(int rank) {
        return java.util.stream.IntStream.range(0, rank).boxed().collect(Collectors.toSet());
    }

    private static Map<Integer, Set<Integer>> relayByRank(PlanRound round) {
        return round.plans().stream().collect(Collectors.toMap(RankPlan::rank, RankPlan::relayPeers));
    }

    private static Map<Integer, Set<Integer>> punchByRank(PlanRound round) {
        return round.plans().stream().collect(Collectors.toMap(RankPlan::rank, RankPlan::punchPeers));
    }
}
