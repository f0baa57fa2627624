package io.jfmi.core;

/**
 * The predefined reductions' arithmetic on plain arrays, {@code x[i] = x[i] op y[i]} for i below n: loops that C1
 * compiles to straight code and C2 vectorises ({@link UnrolledSums} has the sums' shape for C1). {@link
 * ReduceKernels} moves the elements in and out.
 */
final class ReduceLoops {
    private ReduceLoops() {
    }

    static void doubles(BuiltinOp op, double[] x, double[] y, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
            case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
            case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
            case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
            default -> throw new IllegalArgumentException(op.name() + " is not defined for floating-point data");
        }
    }

    static void floats(BuiltinOp op, float[] x, float[] y, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
            case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
            case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
            case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
            default -> throw new IllegalArgumentException(op.name() + " is not defined for floating-point data");
        }
    }

    static void longs(BuiltinOp op, long[] x, long[] y, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
            case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
            case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
            case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
            case BAND -> { for (int i = 0; i < n; i++) { x[i] &= y[i]; } }
            case BOR -> { for (int i = 0; i < n; i++) { x[i] |= y[i]; } }
            case BXOR -> { for (int i = 0; i < n; i++) { x[i] ^= y[i]; } }
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
    }

    static void ints(BuiltinOp op, int[] x, int[] y, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
            case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
            case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
            case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
            case BAND -> { for (int i = 0; i < n; i++) { x[i] &= y[i]; } }
            case BOR -> { for (int i = 0; i < n; i++) { x[i] |= y[i]; } }
            case BXOR -> { for (int i = 0; i < n; i++) { x[i] ^= y[i]; } }
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
    }

    static void bytes(BuiltinOp op, byte[] x, byte[] y, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
            case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
            case MIN -> { for (int i = 0; i < n; i++) { x[i] = (byte) Math.min(x[i], y[i]); } }
            case MAX -> { for (int i = 0; i < n; i++) { x[i] = (byte) Math.max(x[i], y[i]); } }
            case BAND -> { for (int i = 0; i < n; i++) { x[i] &= y[i]; } }
            case BOR -> { for (int i = 0; i < n; i++) { x[i] |= y[i]; } }
            case BXOR -> { for (int i = 0; i < n; i++) { x[i] ^= y[i]; } }
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
    }
}
