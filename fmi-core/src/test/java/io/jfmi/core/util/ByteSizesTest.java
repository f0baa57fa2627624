package io.jfmi.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
    @Test
    void sizesUpToTheLimitAreExact() {
        assertEquals(0, ByteSizes.product(0, 8, "x"));
        assertEquals(Integer.MAX_VALUE, ByteSizes.product(Integer.MAX_VALUE, 1, "x"));
        assertEquals(2_000_000_000, ByteSizes.product(250_000_000, 8, "x"));
    }

    @Test
    void aSizeBeyondTwoGibibytesNamesWhatWasSized() {
        // 300M longs: an int product would wrap to a small positive number and pass unnoticed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ByteSizes.product(300_000_000, 8, "a buffer of 300000000 long elements"));
        assertTrue(e.getMessage().startsWith("a buffer of 300000000 long elements: 300000000 x 8 bytes = 2400000000"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ByteSizes.product(Long.MAX_VALUE, 2, "scratch"));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.product(-1, 8, "negative"));
    }
}
