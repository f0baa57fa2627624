package io.jfmi.benchmarks.coldstart;

import java.util.List;
import java.util.Map;

/**
 * One way to start the handler's JVM: which artifact's classpath, which JVM options, which environment.
 *
 * @param name      row name in the table
 * @param classpath the artifact's classpath (the unzipped zip, or the image's lib folder)
 * @param jvmOpts   options before the main class
 * @param env       environment added to the probe's
 */
record ColdStartVariant(String name, String classpath, List<String> jvmOpts, Map<String, String> env) {
}
