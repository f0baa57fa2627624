package io.jfmi.worker.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Where an uncompressed (STORED) entry's bytes sit in a zip file, read from the archive's central directory (zip64
 * included). numpy's {@code savez} stores its arrays this way, and so does {@code worker.jar generate}: such an entry
 * can be read at its file offset (a rank maps just its rows) instead of through {@code java.util.zip}, whose stream
 * must skip and copy every byte before a rank's rows (measured: 100-190 ms of CPU for a quarter of a 205 MB file,
 * against ~40 ms mapped). The JDK does not expose an entry's offset, hence this reader.
 */
public record StoredZipEntry(long dataOffset, long size) {
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int STORED = 0;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final long UNSET32 = 0xffffffffL;

    /**
     * The entry called {@code name}, if the archive has it uncompressed; empty when it is compressed or absent (the
     * caller falls back to {@code java.util.zip}, which also names what is wrong with a damaged archive).
     *
     * @param where the file, for messages
     */
    public static Optional<StoredZipEntry> find(FileChannel zip, String name, String where) throws IOException {
        long fileSize = zip.size();
        long eocd = findEndRecord(zip, fileSize);
        if (eocd < 0) {
            return Optional.empty();
        }
        ByteBuffer end = read(zip, eocd, EOCD_SIZE);
        if (end == null) {
            return Optional.empty();
        }
        long entries = end.getShort(10) & 0xffff;
        long directorySize = end.getInt(12) & UNSET32;
        long directoryOffset = end.getInt(16) & UNSET32;
        if (entries == 0xffff || directorySize == UNSET32 || directoryOffset == UNSET32) {
            ByteBuffer locator = eocd >= 20 ? read(zip, eocd - 20, 20) : null;
            if (locator == null || locator.getInt(0) != ZIP64_LOCATOR) {
                return Optional.empty();
            }
            ByteBuffer end64 = read(zip, locator.getLong(8), 56);
            if (end64 == null || end64.getInt(0) != ZIP64_EOCD) {
                return Optional.empty();
            }
            entries = end64.getLong(32);
            directorySize = end64.getLong(40);
            directoryOffset = end64.getLong(48);
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > fileSize
                || directorySize > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        ByteBuffer dir = read(zip, directoryOffset, (int) directorySize);
        if (dir == null) {
            return Optional.empty();
        }
        int at = 0;
        for (long i = 0; i < entries && at + 46 <= dir.limit(); i++) {
            if (dir.getInt(at) != CENTRAL) {
                return Optional.empty();
            }
            int method = dir.getShort(at + 10) & 0xffff;
            long compressed = dir.getInt(at + 20) & UNSET32;
            long uncompressed = dir.getInt(at + 24) & UNSET32;
            int nameLength = dir.getShort(at + 28) & 0xffff;
            int extraLength = dir.getShort(at + 30) & 0xffff;
            int commentLength = dir.getShort(at + 32) & 0xffff;
            long localOffset = dir.getInt(at + 42) & UNSET32;
            if (at + 46 + nameLength + extraLength > dir.limit()) {
                return Optional.empty();
            }
            byte[] entryName = new byte[nameLength];
            dir.get(at + 46, entryName);
            if (name.equals(new String(entryName, java.nio.charset.StandardCharsets.UTF_8))) {
                if (method != STORED) {
                    return Optional.empty();
                }
                long[] sizes = zip64Sizes(dir, at + 46 + nameLength, extraLength, uncompressed, compressed,
                        localOffset);
                return Optional.of(atLocalHeader(zip, sizes[2], sizes[1], fileSize, where, name));
            }
            at += 46 + nameLength + extraLength + commentLength;
        }
        return Optional.empty();
    }

    /** The data follows the entry's local header, whose name and extra field lengths may differ from the central. */
    private static StoredZipEntry atLocalHeader(FileChannel zip, long localOffset, long size, long fileSize,
            String where, String name) throws IOException {
        if (localOffset < 0 || localOffset + 30 > fileSize) {
            throw new IOException(where + ": entry " + name + " points outside the file (offset " + localOffset
                    + "); the archive is corrupt");
        }
        ByteBuffer local = read(zip, localOffset, 30);
        if (local == null || local.getInt(0) != LOCAL) {
            throw new IOException(where + ": entry " + name + " has no local header at offset " + localOffset
                    + "; the archive is corrupt");
        }
        long data = localOffset + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
        if (data + size > fileSize) {
            throw new IOException(where + ": entry " + name + " needs " + size + " bytes from offset " + data
                    + " but the file ends at " + fileSize + "; it is truncated");
        }
        return new StoredZipEntry(data, size);
    }

    /** {uncompressed, compressed, local header offset}, each from the zip64 extra field where the header says so. */
    private static long[] zip64Sizes(ByteBuffer dir, int extraStart, int extraLength, long uncompressed,
            long compressed, long localOffset) {
        long[] values = {uncompressed, compressed, localOffset};
        int at = extraStart;
        while (at + 4 <= extraStart + extraLength) {
            int id = dir.getShort(at) & 0xffff;
            int length = dir.getShort(at + 2) & 0xffff;
            if (id == 0x0001) {
                int field = at + 4;
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == UNSET32 && field + 8 <= at + 4 + length) {
                        values[i] = dir.getLong(field);
                        field += 8;
                    }
                }
                break;
            }
            at += 4 + length;
        }
        return values;
    }

    /** The end-of-central-directory record's offset, searching back over a possible comment; -1 if none. */
    private static long findEndRecord(FileChannel zip, long fileSize) throws IOException {
        if (fileSize < EOCD_SIZE) {
            return -1;
        }
        int tail = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
        ByteBuffer b = read(zip, fileSize - tail, tail);
        if (b == null) {
            return -1;
        }
        for (int i = tail - EOCD_SIZE; i >= 0; i--) {
            if (b.getInt(i) == EOCD) {
                return fileSize - tail + i;
            }
        }
        return -1;
    }

    /** {@code length} bytes at {@code position}, or null when the file has not that many there. */
    private static ByteBuffer read(FileChannel zip, long position, int length) throws IOException {
        if (position < 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (zip.read(b, position + b.position()) < 0) {
                return null;
            }
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }
}
