package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jfmi.core.util.Scratch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The views collectives read from and write into: in place for regions and byte[], staged for typed arrays. */
class DataBufferViewsTest {
    private final Scratch scratch = new Scratch();

    @Test
    void regionViewCoversPositionToLimitLittleEndianAndLeavesTheCallersBufferAlone() {
        ByteBuffer user = ByteBuffer.allocateDirect(32).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 4; i++) {
            user.order(ByteOrder.LITTLE_ENDIAN).putLong(i * 8, 100 + i);
        }
        user.order(ByteOrder.BIG_ENDIAN).position(8).limit(24);
        DataBuffer data = DataBuffer.of(user, DataType.LONG);

        ByteBuffer view = data.readView(scratch, Scratch.STAGING_IN);
        assertEquals(2, data.count());
        assertEquals(0, view.position());
        assertEquals(16, view.limit());
        assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
        assertEquals(101, view.getLong(0));
        assertEquals(102, view.getLong(8));

        view.position(5).limit(7); // a collective moves its view; the next call must see the whole region again
        ByteBuffer again = data.writeView(scratch, Scratch.STAGING_OUT);
        assertSame(view, again, "a reused DataBuffer hands out the same view, allocating nothing");
        assertEquals(0, again.position());
        assertEquals(16, again.limit());

        again.putLong(0, 7);
        assertEquals(7, user.order(ByteOrder.LITTLE_ENDIAN).getLong(8), "writes land in the caller's memory");
        assertEquals(8, user.position());
        assertEquals(24, user.limit());
    }

    @Test
    void byteArraysAreUsedInPlace() {
        byte[] bytes = {1, 2, 3};
        DataBuffer data = DataBuffer.of(bytes);
        ByteBuffer view = data.writeView(scratch, Scratch.STAGING_OUT);
        view.put(1, (byte) 9);
        data.commit(scratch, Scratch.STAGING_OUT);
        assertArrayEquals(new byte[] {1, 9, 3}, bytes);
        assertSame(view, data.readView(scratch, Scratch.STAGING_IN));
    }

    @Test
    void typedArraysAreStagedAndCommittedBack() {
        long[] longs = {5, 6};
        DataBuffer data = DataBuffer.of(longs);
        ByteBuffer in = data.readView(scratch, Scratch.STAGING_IN);
        assertEquals(ByteOrder.LITTLE_ENDIAN, in.order());
        assertEquals(6, in.getLong(8));

        ByteBuffer out = data.writeView(scratch, Scratch.STAGING_OUT);
        out.putLong(0, 50).putLong(8, 60);
        assertArrayEquals(new long[] {5, 6}, longs, "nothing reaches the array before commit");
        data.commit(scratch, Scratch.STAGING_OUT);
        assertArrayEquals(new long[] {50, 60}, longs);
    }
}
