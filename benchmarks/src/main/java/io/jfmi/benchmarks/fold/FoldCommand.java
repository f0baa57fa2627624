package io.jfmi.benchmarks.fold;

import io.jfmi.benchmarks.Exec;
import io.jfmi.benchmarks.Sizes;
import io.jfmi.worker.job.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks.jar fold}: the reduction kernel alone, as a collective runs it on a received contribution, in
 * fresh JVMs per runtime, JIT and loop shape, beside C floors of the same loop.
 */
@Command(name = "fold", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The reduction kernel alone: ReduceOp.SUM folding one vector into another in place from direct "
                + "buffers, in a fresh JVM per runtime (--java), JIT (C2; C1 only, -XX:TieredStopAtLevel=1, "
                + "Lambda's default) and loop shape (-Djfmi.reduce.loops=auto|plain|unrolled), each checked for the "
                + "right sums first; beside the same loop in C (scalar, scalar unrolled, vectorised).",
            "Prints median µs per MiB of operand and the ratio to the same runtime with C2 and automatic loops, then "
                + "each point split into the kernel's bulk copies alone and the rest (its loop); writes fold.md and "
                + "fold.csv (best and median per point) to --out."})
public final class FoldCommand implements Callable<Integer> {
    static final List<String> JITS = List.of("c2", "c1");
    static final List<String> LOOPS = List.of("auto", "plain", "unrolled");
    static final List<String> TYPES = List.of("double", "float", "long", "int");

    @Option(names = "--java", paramLabel = "PATH", split = ",", description = "java executables to compare, e.g. "
            + "a JDK 25's bin/java beside this one (default: the java running this command).")
    List<Path> javas;

    @Option(names = "--jits", split = ",", description = "c2, c1 (default: ${DEFAULT-VALUE}).")
    List<String> jits = JITS;

    @Option(names = "--loops", split = ",", description = "auto, plain, unrolled (default: ${DEFAULT-VALUE}).")
    List<String> loops = LOOPS;

    @Option(names = "--types", split = ",", description = "double, float, long, int (default: ${DEFAULT-VALUE}).")
    List<String> types = List.of("double", "float");

    @Option(names = "--sizes", split = ",", description = "Vector sizes in bytes, multiples of 8 (default: "
            + "${DEFAULT-VALUE}).")
    List<String> sizes = List.of("1M", "16M");

    @Option(names = "--repeats", description = "Timed folds per point (default: ${DEFAULT-VALUE}).")
    int repeats = 100;

    @Option(names = "--warmup", description = "Folds of every point before timing (default: ${DEFAULT-VALUE}).")
    int warmup = 200;

    @Option(names = "--no-floor", description = "Skip the C floors.")
    boolean noFloor;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results", "fold");

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = validate();
        out = out.toAbsolutePath();
        Files.createDirectories(out);
        List<Path> runtimes = javas != null ? javas
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        List<FoldPoint> points = new ArrayList<>();
        for (Path java : runtimes) {
            for (String jit : jits) {
                for (String shape : loops) {
                    List<FoldPoint> run = runJvm(java, jit, shape, bytes);
                    run.forEach(p -> System.out.printf("%s %s %s %s %s: median %.1f µs, best %.1f%n", p.runtime(),
                            p.jit(), p.loops(), p.type(), Sizes.format(p.bytes()), p.medianUs(), p.bestUs()));
                    points.addAll(run);
                }
            }
        }
        if (!noFloor) {
            points.addAll(new FoldFloor(out).run(types, bytes, repeats));
        }
        String table = FoldTable.markdown(points) + "\n" + FoldTable.split(points);
        System.out.println();
        System.out.print(table);
        AtomicFiles.writeString(out.resolve("fold.md"), table);
        AtomicFiles.writeString(out.resolve("fold.csv"), FoldTable.csv(points));
        System.out.println("wrote " + out.resolve("fold.md") + " and fold.csv");
        return 0;
    }

    private List<Integer> validate() {
        if (repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("--repeats must be >= 1 and --warmup >= 0");
        }
        requireKnown("--jits", jits, JITS);
        requireKnown("--loops", loops, LOOPS);
        requireKnown("--types", types, TYPES);
        if (javas != null) {
            for (Path java : javas) {
                if (!Files.isExecutable(java)) {
                    throw new IllegalArgumentException("--java: " + java + " is not an executable file");
                }
            }
        }
        return Sizes.parseCollectiveSizes(sizes);
    }

    private static void requireKnown(String option, List<String> given, List<String> known) {
        for (String g : given) {
            if (!known.contains(g)) {
                throw new IllegalArgumentException(option + ": unknown '" + g + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private List<FoldPoint> runJvm(Path java, String jit, String shape, List<Integer> bytes) throws Exception {
        long largest = bytes.stream().mapToLong(Integer::longValue).max().orElse(0);
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m",
                // two vectors per size for the timing, two more for the check
                "-XX:MaxDirectMemorySize=" + Math.max(256L << 20, 6 * largest * bytes.size()),
                "-Djfmi.reduce.loops=" + shape));
        if (jit.equals("c1")) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        cmd.addAll(List.of("-cp", Exec.absoluteClassPath(), FoldRun.class.getName(), String.join(",", types),
                String.join(",", bytes.stream().map(String::valueOf).toList()), Integer.toString(repeats),
                Integer.toString(warmup)));
        List<String> lines = Exec.run(cmd, Map.of(), out, Duration.ofMinutes(10));
        String runtime = lines.stream().filter(l -> l.startsWith("JVM ")).findFirst()
                .map(l -> "JDK " + l.substring(4)).orElse(java.toString());
        List<FoldPoint> points = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("RESULT ")) {
                points.add(FoldPoint.parseLine(runtime, jit.toUpperCase(Locale.ROOT), shape, line));
            }
        }
        if (points.size() != types.size() * bytes.size()) {
            throw new IllegalStateException(String.join(" ", cmd) + " printed " + points.size() + " results, expected "
                    + types.size() * bytes.size() + ": " + lines);
        }
        return points;
    }
}
