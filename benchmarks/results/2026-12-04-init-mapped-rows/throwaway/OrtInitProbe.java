import ai.djl.Model;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

public class OrtInitProbe {
    public static void main(String[] a) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        long t0 = System.nanoTime();
        long up0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        Path file = Path.of(a[0]);
        String level = a[1];
        Map<String, Object> opts = new HashMap<>();
        opts.put("intraOpNumThreads", "1");
        opts.put("interOpNumThreads", "1");
        if (!level.equals("default")) opts.put("optLevel", level);
        if (a.length > 2) {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setOptimizedModelFilePath(a[2]);
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            opts.clear();
            opts.put("sessionOptions", so);
        }
        Model m = Model.newInstance("m", "OnnxRuntime");
        long t1 = System.nanoTime();
        String name = file.getFileName().toString();
        m.load(file.toAbsolutePath().getParent(), name.substring(0, name.lastIndexOf('.')), opts);
        long t2 = System.nanoTime();
        System.out.printf("uptime-at-main %d ms, engine %.0f ms, load %.0f ms (%s)%n", up0, (t1 - t0) / 1e6,
                (t2 - t1) / 1e6, level);
        m.close();
    }
}
