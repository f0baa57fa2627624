package io.jfmi.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uncompressed .npz entries found at their offsets and mapped; everything else read through java.util.zip. */
class StoredZipEntryTest {
    @TempDir
    Path dir;

    @Test
    void generatedArchivesStoreEachArrayWhereTheDirectorySays() throws IOException {
        Path file = dir.resolve("g.npz");
        GalaxyGenerator.generate(7, 3).save(file);
        // java.util.zip checks a stored entry's size and CRC as it reads it
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            int entries = 0;
            for (ZipEntry e; (e = zip.getNextEntry()) != null; entries++) {
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
                zip.readAllBytes();
            }
            assertEquals(3, entries);
        }
        try (FileChannel ch = FileChannel.open(file)) {
            for (String name : new String[] {"images.npy", "magnitudes.npy", "redshifts.npy"}) {
                StoredZipEntry e = StoredZipEntry.find(ch, name, file.toString()).orElseThrow();
                ByteBuffer magic = ByteBuffer.allocate(6);
                ch.read(magic, e.dataOffset());
                assertEquals("NUMPY", new String(magic.array(), 1, 5, java.nio.charset.StandardCharsets.US_ASCII),
                        name);
            }
            assertEquals(Optional.empty(), StoredZipEntry.find(ch, "absent.npy", file.toString()));
        }
    }

    /**
     * {@code numpy-savez-2.npz} was written by numpy 2.4.6's {@code np.savez} (stored entries with a zip64 extra
     * field in each local header): images {@code arange(10240, dtype=float32) / 1000} shaped [2, 5, 32, 32],
     * magnitudes {@code arange(10, dtype=float64).reshape(2, 5) + 0.5}, redshifts [0.25, 0.5].
     */
    @Test
    void numpyArchivesAreMappedPastTheirZip64LocalHeaders() throws IOException {
        Path file = dir.resolve("numpy.npz");
        try (InputStream in = getClass().getResourceAsStream("/data/numpy-savez-2.npz")) {
            Files.copy(in, file);
        }
        try (FileChannel ch = FileChannel.open(file)) {
            assertTrue(StoredZipEntry.find(ch, "images.npy", file.toString()).isPresent());
        }
        GalaxyDataset.Loaded second = ShareReader.read(file, 1, 2);
        assertEquals(1, second.firstIndex());
        float[] images = second.data().images();
        assertEquals(GalaxyDataset.PIXELS, images.length);
        for (int i = 0; i < images.length; i++) {
            assertEquals((GalaxyDataset.PIXELS + i) / 1000f, images[i], 0f, "pixel " + i);
        }
        assertArrayEquals(new double[] {5.5, 6.5, 7.5, 8.5, 9.5}, second.data().magnitudes());
        assertArrayEquals(new float[] {0.5f}, second.data().redshifts());
        assertArrayEquals(GalaxyDataset.load(file).slice(1, 2).images(), images);
    }

    @Test
    void compressedArchivesAreReadThroughTheZipStreamWithTheSameRows() throws IOException {
        GalaxyDataset d = GalaxyGenerator.generate(9, 5);
        Path file = dir.resolve("deflated.npz");
        Npz.write(file, Map.of("images", NpyArray.ofFloats(d.images(), 9, 5, 32, 32),
                "magnitudes", NpyArray.ofDoubles(d.magnitudes(), 9, 5),
                "redshifts", NpyArray.ofFloats(d.redshifts(), 9)));
        try (FileChannel ch = FileChannel.open(file)) {
            assertEquals(Optional.empty(), StoredZipEntry.find(ch, "images.npy", file.toString()));
        }
        GalaxyDataset.Loaded share = ShareReader.read(file, 2, 3);
        assertArrayEquals(d.slice(6, 9).images(), share.data().images());
        assertArrayEquals(d.slice(6, 9).magnitudes(), share.data().magnitudes());
    }

    @Test
    void damagedArchivesNameTheFileWhicheverPathReadsThem() throws IOException {
        Path file = dir.resolve("g.npz");
        GalaxyGenerator.generate(8, 1).save(file);
        byte[] bytes = Files.readAllBytes(file);

        // no end record: the zip stream reads it and reports the damage
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 30));
        try (FileChannel ch = FileChannel.open(cut)) {
            assertEquals(Optional.empty(), StoredZipEntry.find(ch, "images.npy", cut.toString()));
        }
        IOException e = assertThrows(IOException.class, () -> ShareReader.read(cut, 0, 2));
        assertTrue(e.getMessage().contains("cut.npz"), e.getMessage());

        // a directory that points at no local header
        byte[] noHeader = bytes.clone();
        Arrays.fill(noHeader, 0, 4, (byte) 0); // the first local header's signature (images.npy)
        Path bad = dir.resolve("bad-header.npz");
        Files.write(bad, noHeader);
        try (FileChannel ch = FileChannel.open(bad)) {
            e = assertThrows(IOException.class, () -> StoredZipEntry.find(ch, "images.npy", bad.toString()));
        }
        assertTrue(e.getMessage().contains("bad-header.npz") && e.getMessage().contains("images.npy")
                && e.getMessage().contains("local header"), e.getMessage());
    }

    @Test
    void aStoredArrayShorterThanItsShapeIsTruncatedNotReadPastItsEnd() throws IOException {
        byte[] header = Npy.header("<f8", new long[] {10, 5});
        byte[] npy = Arrays.copyOf(header, header.length + 2 * 5 * 8); // 2 of the 10 rows
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(npy);
        Path file = dir.resolve("short.npz");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            ZipEntry e = new ZipEntry("magnitudes.npy");
            e.setMethod(ZipEntry.STORED);
            e.setSize(npy.length);
            e.setCompressedSize(npy.length);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(npy);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("after.npy")); // bytes the short array must not run into
            zip.write(new byte[4096]);
            zip.closeEntry();
        }
        assertEquals(2 * 5, Npz.readRows(file, "magnitudes", 0, 2).count());
        IOException e = assertThrows(IOException.class, () -> Npz.readRows(file, "magnitudes", 1, 4));
        assertTrue(e.getMessage().contains("short.npz:magnitudes.npy") && e.getMessage().contains("truncated"),
                e.getMessage());
    }
}
