import java.lang.management.ManagementFactory;
public class Probe {
    public static void main(String[] a) {
        long cpu0 = ProcessHandle.current().info().totalCpuDuration().get().toMillis();
        long up0 = ManagementFactory.getRuntimeMXBean().getUptime();
        org.slf4j.LoggerFactory.getLogger("io.jfmi.Probe").info("hello");
        long cpu1 = ProcessHandle.current().info().totalCpuDuration().get().toMillis();
        long up1 = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.println("first-message cpu_ms " + (cpu1 - cpu0) + " wall_ms " + (up1 - up0) + " total_cpu " + cpu1);
    }
}
