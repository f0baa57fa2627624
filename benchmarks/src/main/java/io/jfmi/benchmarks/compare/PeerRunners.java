package io.jfmi.benchmarks.compare;

import io.jfmi.benchmarks.Exec;
import io.jfmi.benchmarks.collective.ResultRow;
import io.jfmi.worker.launch.CoreBinding;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The peers jfmi is compared with, each built and run from the sources shipped in this jar: Open MPI over TCP
 * (osu_coll.c), PyTorch gloo (gloo_coll.py, Debian's python3-torch), and two loopback floors in C: a TCP
 * ping-pong and a two-way exchange (also spinning for small messages, and then a one-way stream; one socket or two
 * for large ones). A missing
 * toolchain or package makes its peer "skipped" with the reason, never silently absent.
 */
final class PeerRunners {
    /** Why a peer could not run here. */
    static final class Skipped extends Exception {
        private static final long serialVersionUID = 1L;

        Skipped(String message) {
            super(message);
        }
    }

    static final String SETUP_HINT = "install the peers with: sudo benchmarks/setup-peers.sh";
    /** Debian's python: torch from python3-torch is installed for it, not for other python3s on PATH. */
    static final String PYTHON = "/usr/bin/python3";

    private final Path work;
    /** Where each rank of the peers runs: null lets the kernel place them. */
    private final CoreBinding binding;

    PeerRunners(Path work, CoreBinding binding) throws IOException {
        this.work = work;
        this.binding = binding;
        Files.createDirectories(work);
        for (String f : List.of("osu_coll.c", "gloo_coll.py", "tcp_pingpong.c", "tcp_exchange.c")) {
            try (InputStream in = PeerRunners.class.getResourceAsStream("/peers/" + f)) {
                if (in == null) {
                    throw new IOException("peer source /peers/" + f + " missing from the jar");
                }
                Files.copy(in, work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    List<ResultRow> openMpi(int ranks, List<String> ops, List<Integer> sizes, int iterations, int warmup)
            throws Skipped, IOException, InterruptedException {
        Path exe = work.resolve("osu_coll");
        if (!Files.exists(exe)) {
            if (!Exec.works(List.of("mpicc", "--version")) || !Exec.works(List.of("mpirun", "--version"))) {
                throw new Skipped("Open MPI (mpicc/mpirun) not found; " + SETUP_HINT);
            }
            Exec.run(List.of("mpicc", "-O2", "-o", exe.toString(), work.resolve("osu_coll.c").toString()), Map.of(),
                    work, Duration.ofMinutes(2));
        }
        List<String> cmd = new ArrayList<>(List.of("mpirun", "--allow-run-as-root", "--oversubscribe"));
        // Bound: one core per rank, as jfmi's --bind-to core; more ranks than cores share them round-robin.
        cmd.addAll(binding != null ? List.of("--bind-to", "core:overload-allowed", "--map-by", "core")
                : List.of("--bind-to", "none"));
        cmd.addAll(List.of("-np", Integer.toString(ranks), "--mca", "pml", "ob1", "--mca", "btl", "tcp,self", "--mca",
                "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo", exe.toString(), String.join(",", ops),
                join(sizes), Integer.toString(iterations), Integer.toString(warmup)));
        return combineParts(Exec.run(cmd, Map.of("OMPI_MCA_plm_rsh_agent", "false"), work, Duration.ofMinutes(30)));
    }

    List<ResultRow> gloo(int ranks, List<String> ops, List<Integer> sizes, int iterations, int warmup)
            throws Skipped, IOException, InterruptedException {
        if (!Exec.works(List.of(PYTHON, "-c", "import torch.distributed as d; assert d.is_gloo_available()"))) {
            throw new Skipped("PyTorch with gloo not importable from " + PYTHON + "; " + SETUP_HINT);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<List<String>> cmds = new ArrayList<>();
        List<Map<String, String>> envs = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            List<String> cmd = new ArrayList<>(binding != null ? binding.prefixFor(r) : List.of());
            cmd.addAll(List.of(PYTHON, work.resolve("gloo_coll.py").toString(), Integer.toString(port),
                    String.join(",", ops), join(sizes), Integer.toString(iterations), Integer.toString(warmup)));
            cmds.add(cmd);
            envs.add(Map.of("RANK", Integer.toString(r), "WORLD_SIZE", Integer.toString(ranks), "OMP_NUM_THREADS",
                    "1"));
        }
        return combineParts(Exec.runAll(cmds, envs, work, Duration.ofMinutes(30)));
    }

    ResultRow tcpFloor(int iterations) throws Skipped, IOException, InterruptedException {
        List<String> out = Exec.run(List.of(built("tcp_pingpong").toString(),
                Integer.toString(Math.max(iterations, 10_000)), "2000"), Map.of(), work, Duration.ofMinutes(5));
        return results(out, "tcp_pingpong").get(0);
    }

    /**
     * The two-way exchange floor (tcp_exchange.c) at each size: what a 2-rank alltoall or allgather must do; below
     * 64 KiB also the one-way stream a 2-rank reduce must do. Bound, its two processes run on rank 0's and rank 1's
     * CPUs.
     */
    List<ResultRow> tcpExchange(List<Integer> sizes, int iterations, int warmup)
            throws Skipped, IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(built("tcp_exchange").toString(), join(sizes),
                Integer.toString(iterations), Integer.toString(warmup)));
        if (binding != null) {
            cmd.add(binding.cpuOf(0) + "," + binding.cpuOf(1));
        }
        List<String> out = Exec.run(cmd, Map.of(), work, Duration.ofMinutes(10));
        List<ResultRow> rows = new ArrayList<>(results(out, "tcp_exchange"));
        rows.addAll(combineParts(out)); // the one-way stream below 64 KiB: both sides report
        return rows;
    }

    /** {@code name}.c compiled with gcc -O2 once per work folder. */
    private Path built(String name) throws Skipped, IOException, InterruptedException {
        Path exe = work.resolve(name);
        if (!Files.exists(exe)) {
            if (!Exec.works(List.of("gcc", "--version"))) {
                throw new Skipped("gcc not found; " + SETUP_HINT);
            }
            Exec.run(List.of("gcc", "-O2", "-o", exe.toString(), work.resolve(name + ".c").toString()), Map.of(),
                    work, Duration.ofMinutes(1));
        }
        return exe;
    }

    private static List<ResultRow> results(List<String> out, String program) throws IOException {
        List<ResultRow> rows = out.stream().filter(l -> l.startsWith("RESULT ")).map(l -> ResultRow.parse(
                l.substring(7))).toList();
        if (rows.isEmpty()) {
            throw new IOException(program + " printed no result: " + out);
        }
        return rows;
    }

    private static List<ResultRow> combineParts(List<String> lines) {
        Map<String, List<ResultRow>> byPoint = lines.stream().filter(l -> l.startsWith("PART "))
                .map(l -> ResultRow.parse(l.substring(5)))
                .collect(Collectors.groupingBy(r -> r.ranks() + "/" + r.op() + "/" + r.bytes(),
                        java.util.LinkedHashMap::new, Collectors.toList()));
        return byPoint.values().stream().map(ResultRow::combine).toList();
    }

    private static String join(Collection<Integer> sizes) {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
