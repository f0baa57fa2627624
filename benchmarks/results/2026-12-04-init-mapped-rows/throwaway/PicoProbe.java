import picocli.CommandLine;
public class PicoProbe {
    public static void main(String[] a) throws Exception {
        long up = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        Object cmd = a[0].equals("full") ? io.jfmi.worker.WorkerMain.class : new io.jfmi.worker.cli.RunCommand();
        CommandLine cl = new CommandLine(cmd);
        long t1 = System.nanoTime();
        org.slf4j.LoggerFactory.getLogger("x").info("hello");
        long t2 = System.nanoTime();
        System.out.printf("%s: uptime at main %d ms, picocli %.0f ms, logback %.0f ms, cpu %s%n", a[0], up,
                (t1 - t0) / 1e6, (t2 - t1) / 1e6,
            java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1000000);
    }
}
