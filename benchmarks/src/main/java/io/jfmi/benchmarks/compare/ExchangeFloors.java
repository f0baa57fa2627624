package io.jfmi.benchmarks.compare;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.ResultRow;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 2-rank ops that are one two-way exchange (barrier, allgather, alltoall) set against the C exchange floor
 * (tcp_exchange.c) at their size: large sizes by rate, small ones by latency against the floor that never sleeps;
 * and, below 64 KiB, the 2-rank reduce (a one-way stream) against the C stream that never sleeps.
 */
final class ExchangeFloors {
    /** Sizes from which the large table applies (below, a rate says little and the spinning floor runs). */
    static final int LARGE_MIN_BYTES = 64 * 1024;

    private static final String SPIN = "tcp-exchange-spin";
    private static final String STREAM = "tcp-stream-spin";

    private ExchangeFloors() {
    }

    /**
     * Each system's rate in GB/s each way at sizes from {@link #LARGE_MIN_BYTES}, and its share of the C exchange
     * floor at that size (the faster of its two layouts, one connection or one per direction; floor time over the
     * system's time, 100% = at the floor). "" without floors at those sizes.
     */
    static String large(List<ResultRow> rows) {
        List<ResultRow> floors = rows.stream().filter(r -> isFloor(r) && r.bytes() >= LARGE_MIN_BYTES).toList();
        Map<Long, ResultRow> floor = new LinkedHashMap<>();
        floors.forEach(r -> floor.merge(r.bytes(), r, (a, b) -> a.meanUs() <= b.meanUs() ? a : b));
        if (floor.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n2-rank exchanges against the loopback "
                + "exchange floor (C, both ways at once; one connection, and one per direction)%n"
                + "%-10s %6s %-18s %10s %13s %11s%n", "op", "bytes", "system", "mean(us)", "GB/s each way",
                "% of floor"));
        for (ResultRow f : floors) {
            sb.append(rateRow("exchange", f, f.system().endsWith("split") ? "floor, 2 conns" : "floor, 1 conn",
                    floor.get(f.bytes())));
        }
        for (ResultRow r : rows) {
            ResultRow f = floor.get(r.bytes());
            if (f != null && r.ranks() == 2 && isExchangeOp(r)) {
                sb.append(rateRow(r.op(), r, r.system(), f));
            }
        }
        return sb.toString();
    }

    /**
     * Below {@link #LARGE_MIN_BYTES}: each system's mean, p50 and p99 against the C floor that spins: the two-way
     * exchange for barrier, allgather and alltoall (a barrier, which carries no data, against the smallest size
     * measured), the one-way stream for the reduce (its leaf writes, its root reads). "" without such floors.
     */
    static String small(List<ResultRow> rows) {
        Map<Long, ResultRow> spin = smallest(rows, SPIN);
        Map<Long, ResultRow> stream = smallest(rows, STREAM);
        if (spin.isEmpty() && stream.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n2-rank small ops against the loopback "
                + "floors that spin (C, one connection, never sleep): exchanges against the two-way exchange (a "
                + "barrier against the smallest size), the reduce against the one-way stream%n"
                + "%-10s %6s %-14s %9s %9s %9s %11s %10s%n", "op", "bytes", "system", "mean(us)", "p50(us)",
                "p99(us)", "mean/floor", "p99/floor"));
        for (ResultRow f : rows) {
            if (isFloor(f) && f.bytes() < LARGE_MIN_BYTES) {
                boolean oneWay = f.system().equals(STREAM);
                sb.append(latencyRow(oneWay ? "stream" : "exchange", f, floorLabel(f),
                        (oneWay ? stream : spin).get(f.bytes())));
            }
        }
        ResultRow smallestSpin = spin.isEmpty() ? null : spin.values().iterator().next();
        for (ResultRow r : rows) {
            if (r.ranks() != 2 || r.bytes() >= LARGE_MIN_BYTES || isFloor(r)) {
                continue;
            }
            ResultRow f = r.op().equals("barrier") ? smallestSpin
                    : isExchangeOp(r) ? spin.get(r.bytes())
                    : r.op().equals("reduce") ? stream.get(r.bytes()) : null;
            if (f != null) {
                sb.append(latencyRow(r.op(), r, r.system(), f));
            }
        }
        return sb.toString();
    }

    /** The rows of one floor by size, smallest size first. */
    private static Map<Long, ResultRow> smallest(List<ResultRow> rows, String system) {
        Map<Long, ResultRow> bySize = new LinkedHashMap<>();
        rows.stream().filter(r -> r.system().equals(system)).sorted(Comparator.comparingLong(ResultRow::bytes))
                .forEach(r -> bySize.putIfAbsent(r.bytes(), r));
        return bySize;
    }

    private static String floorLabel(ResultRow f) {
        return switch (f.system()) {
            case SPIN -> "floor, spin";
            case STREAM -> "floor, stream";
            default -> f.system().endsWith("split") ? "floor, 2 conns" : "floor, poll";
        };
    }

    private static boolean isFloor(ResultRow r) {
        return r.system().startsWith("tcp-exchange") || r.system().equals(STREAM);
    }

    private static boolean isExchangeOp(ResultRow r) {
        return r.op().equals("allgather") || r.op().equals("alltoall");
    }

    private static String rateRow(String op, ResultRow r, String label, ResultRow floor) {
        return String.format(Locale.ROOT, "%-10s %6s %-18s %10.2f %13.2f %10.0f%%%n", op, Sizes.format(r.bytes()),
                label, r.meanUs(), r.bytes() / r.meanUs() / 1e3, 100 * floor.meanUs() / r.meanUs());
    }

    private static String latencyRow(String op, ResultRow r, String label, ResultRow floor) {
        return String.format(Locale.ROOT, "%-10s %6s %-14s %9.2f %9.2f %9.2f %11s %10s%n", op,
                Sizes.format(r.bytes()), label, r.meanUs(), r.p50Us(), r.p99Us(), times(r.meanUs(), floor.meanUs()),
                times(r.p99Us(), floor.p99Us()));
    }

    private static String times(double value, double floor) {
        return Optional.of(floor).filter(f -> f > 0).map(f -> String.format(Locale.ROOT, "%.2fx", value / f))
                .orElse("-");
    }
}
