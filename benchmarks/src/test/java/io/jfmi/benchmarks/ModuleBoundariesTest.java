package io.jfmi.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.Message;
import io.jfmi.core.Communicator;
import io.jfmi.protocol.FrameHeader;
import io.jfmi.rendezvous.RendezvousServer;
import io.jfmi.worker.WorkerMain;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The module graph on the class files, checked with jdeps: fmi-protocol depends on nobody of ours, the server only
 * on fmi-protocol, and the worker and the benchmarks use fmi-core's API package only (module-info states the same
 * for modular users; this holds it for the class path too).
 */
class ModuleBoundariesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");
    private static final Pattern CORE_INTERNALS =
            Pattern.compile("io\\.jfmi\\.core\\.(channel|collective|rendezvous|util)(\\..*)?");

    @Test
    void protocolDependsOnNoOtherJfmiModule() throws Exception {
        List<String> bad = edges(FrameHeader.class, "io.jfmi.protocol", "io\\.jfmi\\.(core|rendezvous|worker)(\\..*)?");
        assertEquals(List.of(), bad, "fmi-protocol must stand alone");
    }

    @Test
    void serverDependsOnProtocolNotOnTheClientLibrary() throws Exception {
        List<String> bad = edges(RendezvousServer.class, "io.jfmi.rendezvous", "io\\.jfmi\\.core(\\..*)?");
        assertEquals(List.of(), bad, "the rendezvous server must not use fmi-core");
    }

    @Test
    void workerAndBenchmarksUseOnlyTheCoreApi() throws Exception {
        assertEquals(List.of(), edges(WorkerMain.class, "io.jfmi.worker", CORE_INTERNALS.pattern()),
                "the worker reached into fmi-core's internal packages");
        assertEquals(List.of(), edges(BenchmarksMain.class, "io.jfmi.benchmarks", CORE_INTERNALS.pattern()),
                "the benchmarks reached into fmi-core's internal packages");
    }

    @Test
    void theCheckSeesRealEdges() throws Exception {
        // Guards against a jdeps output format change silently turning the checks above into no-ops.
        assertFalse(edges(Communicator.class, "io.jfmi.core", CORE_INTERNALS.pattern()).isEmpty(),
                "fmi-core's API must be seen using its own internals");
    }

    /**
     * Package edges "from -> to" of the archive holding {@code anchor}, from packages under {@code fromPrefix}. A
     * modular archive needs the modules it requires on jdeps' module path; the archives of protobuf, slf4j and
     * fmi-protocol are enough for ours.
     */
    private static List<String> edges(Class<?> anchor, String fromPrefix, String forbiddenTarget)
            throws URISyntaxException {
        String modulePath = archiveOf(Message.class) + File.pathSeparator + archiveOf(Logger.class)
                + File.pathSeparator + archiveOf(FrameHeader.class);
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() ->
                new IllegalStateException("jdeps is not in this JDK; the module boundary check needs a full JDK"));
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "--ignore-missing-deps",
                "--module-path", modulePath, "--multi-release", "17", archiveOf(anchor).toString());
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed on " + archiveOf(anchor) + ":\n" + out);
        }
        Pattern forbidden = Pattern.compile(forbiddenTarget);
        return out.toString().lines().map(EDGE::matcher).filter(Matcher::find)
                .filter(m -> m.group(1).startsWith(fromPrefix) && forbidden.matcher(m.group(2)).matches())
                .map(m -> m.group(1) + " -> " + m.group(2)).distinct().toList();
    }

    private static Path archiveOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
