package io.jfmi.worker.demo;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.LinkKind;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * The collectives demo a job runs until inference is wired in: every rank estimates pi on its own share of
 * samples, then the job combines counts (allreduce), per-rank timings (allgather) and the slowest rank (reduce
 * MAX), and rank 0 prints the combined result. The estimate is checked against an exact recount of the same
 * deterministic samples, so a wrong collective shows as a failure, not as a slightly odd number.
 */
public final class PiDemo {
    private PiDemo() {
    }

    /** Result of one rank's share: hits inside the quarter circle out of {@code samples}. */
    static long countHits(int rank, long samples) {
        SplittableRandom random = new SplittableRandom(0x5EEDL + rank);
        long hits = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                hits++;
            }
        }
        return hits;
    }

    /** Runs the demo on this rank; returns 0 on success, 3 when the combined result is inconsistent. */
    public static int run(Communicator comm, long samplesPerRank, PrintStream out) {
        comm.barrier();
        long t0 = System.nanoTime();
        long hits = countHits(comm.rank(), samplesPerRank);
        double seconds = (System.nanoTime() - t0) / 1e9;

        long[] totals = new long[2];
        comm.allreduce(DataBuffer.of(new long[] {hits, samplesPerRank}), DataBuffer.of(totals), ReduceOp.SUM);
        double[] times = new double[comm.size()];
        comm.allgather(DataBuffer.of(new double[] {seconds}), DataBuffer.of(times));
        long[] hitsByRank = comm.rank() == 0 ? new long[comm.size()] : null;
        comm.gather(DataBuffer.of(new long[] {hits}), hitsByRank == null ? null : DataBuffer.of(hitsByRank), 0);
        double[] slowest = new double[1];
        comm.reduce(DataBuffer.of(new double[] {seconds}), comm.rank() == 0 ? DataBuffer.of(slowest) : null,
                ReduceOp.MAX, 0);
        comm.barrier();

        if (comm.rank() != 0) {
            return 0;
        }
        long recount = 0;
        for (int r = 0; r < comm.size(); r++) {
            if (hitsByRank[r] != countHits(r, samplesPerRank)) {
                out.printf("ERROR: rank %d reported %d hits, recount gives %d%n", r, hitsByRank[r],
                        countHits(r, samplesPerRank));
                return 3;
            }
            recount += hitsByRank[r];
        }
        if (recount != totals[0] || totals[1] != samplesPerRank * comm.size()) {
            out.printf("ERROR: allreduce gave %d hits of %d samples, gather+sum gives %d of %d%n", totals[0],
                    totals[1], recount, samplesPerRank * comm.size());
            return 3;
        }
        double pi = 4.0 * totals[0] / totals[1];
        out.printf("pi ~= %.6f (error %.2e) from %,d samples on %d ranks%n", pi, Math.abs(pi - Math.PI), totals[1],
                comm.size());
        StringBuilder perRank = new StringBuilder();
        for (int r = 0; r < comm.size(); r++) {
            perRank.append(String.format("%s%d:%.3fs", r == 0 ? "" : " ", r, times[r]));
        }
        out.printf("per-rank compute time: %s; slowest %.3fs%n", perRank, slowest[0]);
        StringBuilder links = new StringBuilder();
        for (int p = 1; p < comm.size(); p++) {
            LinkKind k = comm.linkKind(p);
            links.append(p == 1 ? "" : " ").append("0-").append(p).append(':').append(k.label());
        }
        out.printf("rank 0 links: %s%n", links.length() == 0 ? "(single rank)" : links);
        return 0;
    }
}
