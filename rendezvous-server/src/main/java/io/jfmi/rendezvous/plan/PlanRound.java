package io.jfmi.rendezvous.plan;

import java.util.List;

/**
 * The plans every rank gets at the end of a round. A final round fixes the channels (and carries the pair
 * counts); a punch round asks some pairs to punch before the final one.
 */
public record PlanRound(boolean isFinal, List<RankPlan> plans, PairCounts counts) {
    public PlanRound {
        plans = List.copyOf(plans);
    }

    /** How the job's rank pairs connect, once final: loopback, other direct, punched, relayed. */
    public record PairCounts(int local, int lan, int punched, int relayed) {
    }
}
