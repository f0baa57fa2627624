package io.jfmi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Purpose;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {

    @Test
    void headerRoundTripsEveryField() {
        ByteBuffer b = ByteBuffer.allocate(FrameHeader.SIZE + 5);
        FrameHeader.write(b, 5, FrameHeader.FLAG_LAST, OpCode.ALLREDUCE, 3, 7, 9, 0x12345678, 1000, 5000);
        assertNull(FrameHeader.problem(b, 5, 1 << 20));
        assertEquals(OpCode.ALLREDUCE.code(), FrameHeader.opCode(b, 5));
        assertEquals(3, FrameHeader.comm(b, 5));
        assertEquals(7, FrameHeader.src(b, 5));
        assertEquals(9, FrameHeader.dst(b, 5));
        assertEquals(0x12345678, FrameHeader.tag(b, 5));
        assertEquals(1000, FrameHeader.length(b, 5));
        assertEquals(5000, FrameHeader.total(b, 5));
        assertTrue(FrameHeader.isLast(b, 5));
        assertEquals(0, b.position(), "flyweight must not move the position");
    }

    @Test
    void problemsAreNamed() {
        ByteBuffer b = ByteBuffer.allocate(FrameHeader.SIZE);
        FrameHeader.write(b, 0, 0, OpCode.BCAST, 0, 0, 1, 0, 100, 100);
        assertTrue(FrameHeader.problem(b, 0, 50).contains("frame length 100"), FrameHeader.problem(b, 0, 50));
        b.putShort(0, (short) 0x1234);
        assertTrue(FrameHeader.problem(b, 0, 1 << 20).contains("bad magic"));
        FrameHeader.write(b, 0, 0, OpCode.BCAST, 0, 0, 1, 0, 10, 5);
        assertTrue(FrameHeader.problem(b, 0, 1 << 20).contains("smaller than frame payload 10"));
        FrameHeader.write(b, 0, 0, OpCode.BCAST, 0, 0, 1, 0, 10, 10);
        b.put(FrameHeader.OP_OFFSET, (byte) 99);
        assertTrue(FrameHeader.problem(b, 0, 1 << 20).contains("unknown op code 99"));
        FrameHeader.write(b, 0, 0, OpCode.BCAST, 0, 0, 1, 0, 10, 10);
        b.put(FrameHeader.VERSION_OFFSET, (byte) 9);
        assertTrue(FrameHeader.problem(b, 0, 1 << 20).contains("version 9"));
    }

    @Test
    void paddingCountsInTheLengthButNotInThePayload() {
        ByteBuffer b = ByteBuffer.allocate(FrameHeader.PADDED_START);
        FrameHeader.write(b, 0, FrameHeader.FLAG_LAST, OpCode.ALLGATHER, 0, 1, 2, 7, FrameHeader.PAD,
                FrameHeader.PAD + 1000, 1000);
        assertNull(FrameHeader.problem(b, 0, 1000), "a full-size payload may carry padding on top");
        assertEquals(FrameHeader.PAD, FrameHeader.pad(b, 0));
        assertEquals(FrameHeader.PAD + 1000, FrameHeader.length(b, 0));
        assertEquals(1000, FrameHeader.payloadLength(b, 0));
        assertEquals(FrameHeader.PADDED_START, FrameHeader.SIZE + FrameHeader.pad(b, 0));
        assertTrue(FrameHeader.describe(b, 0).contains("pad=36"), FrameHeader.describe(b, 0));
        assertTrue(FrameHeader.problem(b, 0, 999).contains("payload outside 0..999"), FrameHeader.problem(b, 0, 999));

        FrameHeader.write(b, 0, 0, OpCode.ALLGATHER, 0, 1, 2, 7, 40, 20, 20);
        assertTrue(FrameHeader.problem(b, 0, 1 << 20).contains("20 with 40 bytes of padding"),
                "padding longer than the frame: " + FrameHeader.problem(b, 0, 1 << 20));

        FrameHeader.write(b, 0, 0, OpCode.BCAST, 0, 0, 1, 0, 10, 10);
        assertEquals(0, FrameHeader.pad(b, 0), "the short form writes no padding");
    }

    @Test
    void controlCodecRoundTripsAndRejectsOversizeAndGarbage() throws IOException {
        ControlMessage m = ControlMessage.newBuilder().setHello(ClientHello.newBuilder().setJobId("j").setRank(2)
                .setWorldSize(4).setPurpose(Purpose.CONTROL).setProtocolVersion(1)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ControlCodec.write(out, m);
        assertEquals(m, ControlCodec.read(new ByteArrayInputStream(out.toByteArray()), "test"));

        byte[] oversize = {0x7f, 0, 0, 0};
        IOException e = assertThrows(IOException.class,
                () -> ControlCodec.read(new ByteArrayInputStream(oversize), "peer X"));
        assertTrue(e.getMessage().contains("exceeds") && e.getMessage().contains("peer X"), e.getMessage());

        byte[] garbage = {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        e = assertThrows(IOException.class, () -> ControlCodec.read(new ByteArrayInputStream(garbage), "peer Y"));
        assertTrue(e.getMessage().contains("malformed") && e.getMessage().contains("peer Y"), e.getMessage());
    }

    @Test
    void macsBindEveryField() {
        byte[] secret = "s3cret".getBytes();
        byte[] nonce = {1, 2, 3};
        byte[] mac = JobAuth.registrationMac(secret, nonce, "CONTROL", "job", 1, 4);
        assertTrue(JobAuth.matches(mac, JobAuth.registrationMac(secret, nonce, "CONTROL", "job", 1, 4)));
        assertTrue(!JobAuth.matches(mac, JobAuth.registrationMac(secret, nonce, "CONTROL", "job", 2, 4)));
        assertTrue(!JobAuth.matches(mac, JobAuth.registrationMac(secret, nonce, "RELAY", "job", 1, 4)));
        assertTrue(!JobAuth.matches(mac, JobAuth.registrationMac("other".getBytes(), nonce, "CONTROL", "job", 1, 4)));
        assertTrue(!JobAuth.matches(mac, JobAuth.registrationMac(secret, new byte[] {1, 2, 4}, "CONTROL", "job", 1,
                4)));
    }
}
