public class DataProbe {
    public static void main(String[] a) throws Exception {
        var b = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = b.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        var l = io.jfmi.worker.data.ShareReader.read(java.nio.file.Path.of(a[0]), Integer.parseInt(a[1]), 4);
        long c1 = b.getCurrentThreadCpuTime(), t1 = System.nanoTime();
        System.out.printf("read %d samples: %.0f ms wall, %.0f ms cpu%n", l.data().count(), (t1 - t0) / 1e6,
                (c1 - c0) / 1e6);
    }
}
