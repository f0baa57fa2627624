package io.jfmi.worker.orchestrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfmi.worker.DebianPython;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** asl-validator from the npm registry: .ci/run installs it and sets JFMI_REQUIRE_ASL=1, making its absence fail. */
final class AslValidator {
    private AslValidator() {
    }

    static void assertValid(Path definition) throws Exception {
        boolean installed = DebianPython.run(List.of("sh", "-c", "command -v asl-validator"), 30).exitCode() == 0;
        if (!installed && "1".equals(System.getenv("JFMI_REQUIRE_ASL"))) {
            throw new AssertionError("JFMI_REQUIRE_ASL=1 but asl-validator is not installed (npm install -g "
                    + "asl-validator)");
        }
        Assumptions.assumeTrue(installed, "asl-validator not installed");
        DebianPython.Result r = DebianPython.run(List.of("asl-validator", "--json-path", definition.toString()), 60);
        assertEquals(0, r.exitCode(), "asl-validator rejected " + definition + ":\n" + r.output());
    }
}
