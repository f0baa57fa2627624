package io.jfmi.benchmarks;

import io.jfmi.worker.cli.BinarySizes;
import java.util.List;

/** Parses byte sizes such as 8, 1K, 64K, 1M (binary units). */
public final class Sizes {
    private Sizes() {
    }

    public static int parse(String s) {
        return BinarySizes.parse(s);
    }

    /** Message sizes of the collective benchmarks: each a whole number of 8-byte elements. */
    public static List<Integer> parseCollectiveSizes(List<String> sizes) {
        List<Integer> bytes = sizes.stream().map(Sizes::parse).toList();
        for (int b : bytes) {
            if (b % 8 != 0) {
                throw new IllegalArgumentException("size " + b + " is not a multiple of 8 bytes");
            }
        }
        return bytes;
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
