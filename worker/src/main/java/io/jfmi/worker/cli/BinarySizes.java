package io.jfmi.worker.cli;

import java.util.Locale;

/** Parses byte sizes of messages and segments such as 8, 1K, 64K, 1M (binary units), up to 1 GiB. */
public final class BinarySizes {
    private BinarySizes() {
    }

    /** The size in bytes; the error quotes what was given. */
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
}
