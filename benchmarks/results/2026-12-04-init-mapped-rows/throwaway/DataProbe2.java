import io.jfmi.worker.data.*;
import java.nio.file.Path;
public class DataProbe2 {
    static long t = System.nanoTime();
    static void lap(String what) { long n = System.nanoTime(); System.out.printf("  %s %.1f ms%n", what,
            (n - t) / 1e6); t = n; }
    public static void main(String[] a) throws Exception {
        Path f = Path.of(a[0]);
        t = System.nanoTime();
        Npz.header(f, "redshifts"); lap("header1");
        Npz.header(f, "images"); lap("header2");
        NpyArray im = Npz.readRows(f, "images", 7500, 10000); lap("readRows images");
        float[] x = im.toFloats(); lap("toFloats");
        Npz.readRows(f, "magnitudes", 7500, 10000).toDoubles(); lap("mags");
        java.io.RandomAccessFile r = new java.io.RandomAccessFile(f.toFile(), "r");
        byte[] b = new byte[x.length * 4]; r.seek(100); r.readFully(b); lap("raw RAF readFully");
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocateDirect(x.length * 4); ch.read(bb, 100);
                lap("channel read direct");
        bb.flip(); bb.order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x); lap("direct->float[]");
    }
}
