package io.jfmi.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void parsesAndFormatsBinaryUnits() {
        assertEquals(8, Sizes.parse("8"));
        assertEquals(65536, Sizes.parse("64k"));
        assertEquals(1 << 20, Sizes.parse(" 1M "));
        assertEquals("8", Sizes.format(8));
        assertEquals("64K", Sizes.format(65536));
        assertEquals("1M", Sizes.format(1 << 20));
        assertEquals("1536K", Sizes.format(1536 * 1024));
        assertEquals("1000", Sizes.format(1000));
    }

    @Test
    void refusesWhatIsNotASize() {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("2048M"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1"));
    }
}
