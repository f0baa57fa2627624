package io.jfmi.worker.launch;

import java.nio.file.Files;
import java.nio.file.Path;

/** A "rank" for CoreBindingIT: prints the CPUs it may run on and how many processors its JVM counts. */
public final class BoundRankProbe {
    private BoundRankProbe() {
    }

    public static void main(String[] args) throws Exception {
        String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElse("none");
        System.out.println("cpus " + allowed.substring(allowed.indexOf(':') + 1).trim() + " processors "
                + Runtime.getRuntime().availableProcessors());
    }
}
