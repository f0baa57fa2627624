package io.jfmi.benchmarks;

import java.util.Locale;

/** Parses byte sizes such as 8, 1K, 64K, 1M (binary units). */
public final class Sizes {
    private Sizes() {
    }

    public static int parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1024;
        } else if (t.endsWith("M")) {
            unit = 1024 * 1024;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits) * unit;
            if (v < 0 || v > (1L << 30)) {
                throw new IllegalArgumentException("size " + s + " outside 0..1G");
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + s + "' is not a number with an optional K or M suffix");
        }
    }

    /** 8 -> "8", 1024 -> "1K", 1048576 -> "1M". */
    public static String format(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + "K";
        }
        return Long.toString(bytes);
    }
}
