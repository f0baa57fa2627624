package io.jfmi.benchmarks.fold;

import io.jfmi.benchmarks.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The C floors of the fold: {@code fold_floor.c} (shipped in the jar) built scalar, scalar unrolled and vectorised,
 * each run per type and size. Empty, with the reason printed, when gcc is missing.
 */
final class FoldFloor {
    /** A build of the floor: its row label and gcc flags. */
    record Build(String loops, List<String> flags) {
    }

    static final List<Build> BUILDS = List.of(
            new Build("scalar (gcc -O2 -fno-tree-vectorize)", List.of("-O2", "-fno-tree-vectorize")),
            new Build("scalar unrolled (+ -funroll-loops)", List.of("-O2", "-fno-tree-vectorize", "-funroll-loops")),
            new Build("vector (gcc -O3 -march=native)", List.of("-O3", "-march=native")));

    private final Path work;

    FoldFloor(Path work) {
        this.work = work;
    }

    List<FoldPoint> run(List<String> types, List<Integer> sizes, int repeats) throws IOException,
            InterruptedException {
        if (!Exec.works(List.of("gcc", "--version"))) {
            System.out.println("C floors skipped: gcc not found (benchmarks/setup-peers.sh installs it)");
            return List.of();
        }
        Path source = work.resolve("fold_floor.c");
        try (InputStream in = FoldFloor.class.getResourceAsStream("/peers/fold_floor.c")) {
            if (in == null) {
                throw new IOException("benchmarks.jar lacks /peers/fold_floor.c");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        String compiler = Exec.run(List.of("gcc", "-dumpfullversion"), Map.of(), work, Duration.ofSeconds(30))
                .get(0).trim();
        List<FoldPoint> points = new ArrayList<>();
        for (int b = 0; b < BUILDS.size(); b++) {
            Build build = BUILDS.get(b);
            Path exe = work.resolve("fold_floor_" + b);
            List<String> cmd = new ArrayList<>(List.of("gcc"));
            cmd.addAll(build.flags());
            cmd.addAll(List.of("-o", exe.toString(), source.toString()));
            Exec.run(cmd, Map.of(), work, Duration.ofSeconds(60));
            for (String type : types) {
                for (int bytes : sizes) {
                    List<String> lines = Exec.run(List.of(exe.toString(), type, Integer.toString(bytes),
                            Integer.toString(repeats)), Map.of(), work, Duration.ofMinutes(5));
                    points.add(FoldPoint.parse("C (gcc " + compiler + ")", "-", build.loops(), lines, exe.toString()));
                }
            }
        }
        return points;
    }
}
