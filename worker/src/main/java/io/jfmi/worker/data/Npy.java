package io.jfmi.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .npy} format (numpy's own): magic {@code \x93NUMPY}, version, a little-endian header length, a
 * Python-literal header dict (descr, fortran_order, shape) padded to 64 bytes, then the raw data. Every problem
 * is reported with the name of the file or archive entry it was found in.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The bytes before the data of an array of this dtype and shape (magic, version, padded header dict). */
    public static byte[] header(String dtype, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String text = shape.length == 1 ? shape[0] + "," : dims.toString().replaceAll(", $", "");
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                dtype, text);
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String h = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        out.put(h.getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }

    public static byte[] encode(NpyArray a) {
        StringBuilder shape = new StringBuilder();
        for (long d : a.shape()) {
            shape.append(d).append(", ");
        }
        String dims = a.shape().length == 1 ? a.shape()[0] + "," : shape.toString().replaceAll(", $", "");
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                a.dtype(), dims);
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + a.data().remaining())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.US_ASCII)).put(a.data().duplicate());
        return out.array();
    }

    /** Parses one array; {@code where} names the source in errors (a file, or "file.npz:entry.npy"). */
    public static NpyArray decode(byte[] bytes, String where) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Header h = readHeader(new java.io.ByteArrayInputStream(bytes), where);
        b.position(h.dataOffset());
        long expected = h.dataBytes();
        if (b.remaining() < expected) {
            throw new IOException(where + ": truncated data: shape " + java.util.Arrays.toString(h.shape()) + " of "
                    + h.dtype() + " needs " + expected + " bytes, the file holds " + b.remaining());
        }
        ByteBuffer data = b.slice().limit((int) expected);
        return new NpyArray(h.dtype(), h.shape(), data);
    }

    /** An array's dtype and shape, and where its data starts. */
    public record Header(String dtype, long[] shape, int dataOffset) {
        public long dataBytes() {
            return NpyArray.elementCount(shape) * NpyArray.elementSize(dtype);
        }

        /** Bytes of one row (all dimensions but the first). */
        public long rowBytes() {
            long n = NpyArray.elementSize(dtype);
            for (int i = 1; i < shape.length; i++) {
                n *= shape[i];
            }
            return n;
        }
    }

    /** Reads the header from the start of a stream, leaving it positioned at the first data byte. */
    public static Header readHeader(InputStream in, String where) throws IOException {
        byte[] prefix = in.readNBytes(10);
        if (prefix.length < 10) {
            throw new IOException(where + ": truncated .npy (" + prefix.length + " bytes, no header)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix[i] != MAGIC[i]) {
                throw new IOException(where + ": not a .npy array (bad magic)");
            }
        }
        int major = prefix[6];
        if (major < 1 || major > 3) {
            throw new IOException(where + ": unsupported .npy version " + major);
        }
        int headerLength;
        int offset;
        if (major == 1) {
            headerLength = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8;
            offset = 10;
        } else {
            byte[] more = in.readNBytes(2);
            if (more.length < 2) {
                throw new IOException(where + ": truncated .npy header");
            }
            headerLength = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8
                    | (more[0] & 0xff) << 16 | (more[1] & 0xff) << 24;
            offset = 12;
        }
        if (headerLength < 0 || headerLength > 1 << 20) {
            throw new IOException(where + ": implausible .npy header length " + headerLength);
        }
        byte[] headerBytes = in.readNBytes(headerLength);
        if (headerBytes.length < headerLength) {
            throw new IOException(where + ": truncated .npy header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String dtype = group(DESCR, header, where, "descr");
        if (group(FORTRAN, header, where, "fortran_order").equals("True")) {
            throw new IOException(where + ": Fortran-order arrays are not supported (save with C order)");
        }
        long[] shape = parseShape(group(SHAPE, header, where, "shape"), where);
        try {
            NpyArray.elementCount(shape);
            NpyArray.elementSize(dtype);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        return new Header(dtype, shape, offset + headerLength);
    }

    private static String group(Pattern p, String header, String where, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(where + ": .npy header lacks '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String s, String where) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.strip();
            if (!t.isEmpty()) {
                try {
                    dims.add(Long.parseLong(t.replace("L", "")));
                } catch (NumberFormatException e) {
                    throw new IOException(where + ": bad shape (" + s + ")");
                }
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
