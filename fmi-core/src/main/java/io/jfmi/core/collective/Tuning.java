package io.jfmi.core.collective;

/**
 * Algorithm choices and the thresholds that drive them. {@code AUTO} picks by message size, rank count and
 * whether the op commutes; a named algorithm forces it (for experiments and for working around a bad choice).
 *
 * @param allgather        allgather algorithm
 * @param reduce           reduce algorithm
 * @param bruckMaxBytes    allgather uses Bruck while the gathered total is at most this, ring above
 */
public record Tuning(AllgatherAlgorithm allgather, ReduceAlgorithm reduce, long bruckMaxBytes) {
    public static final long DEFAULT_BRUCK_MAX_BYTES = 256 * 1024;

    public Tuning {
        if (allgather == null || reduce == null) {
            throw new IllegalArgumentException("algorithms must not be null (use AUTO)");
        }
        if (bruckMaxBytes < 0) {
            throw new IllegalArgumentException("bruckMaxBytes must be >= 0, got " + bruckMaxBytes);
        }
    }

    public static Tuning defaults() {
        return new Tuning(AllgatherAlgorithm.AUTO, ReduceAlgorithm.AUTO, DEFAULT_BRUCK_MAX_BYTES);
    }

    public enum AllgatherAlgorithm {
        AUTO, BRUCK, RING
    }

    public enum ReduceAlgorithm {
        AUTO, BINOMIAL, LINEAR
    }
}
