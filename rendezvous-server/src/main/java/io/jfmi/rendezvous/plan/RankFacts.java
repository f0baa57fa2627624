package io.jfmi.rendezvous.plan;

/**
 * What the planner needs to know of a rank: whether it may take part in hole punching (it has an observed,
 * post-NAT endpoint and neither forbids punching nor is relay-only), and its host id (pairs on one host are local).
 */
public record RankFacts(boolean punchable, String hostId) {
}
