package io.jfmi.worker.cli;

import io.jfmi.worker.launch.ClassDataArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Makes the AppCDS archive that launch gives its rank JVMs: one short local job whose rank dumps its classes. */
@Command(name = "class-archive", mixinStandardHelpOptions = true,
        description = {"Make worker.jsa beside worker.jar: a class-data-sharing archive of the classes a rank JVM "
                + "loads (the build runs this). launch passes it to its ranks (-XX:SharedArchiveFile) when it was "
                + "made by the same JVM build for the same jar, which cuts each rank's start-up.",
            "Runs a one-rank inference job of 256 generated galaxies under target/class-archive-job/."})
public final class ClassArchiveCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path jar = ClassDataArchive.runningJar().orElseThrow(() -> new IllegalArgumentException(
                "class-archive must run from worker.jar (java -jar worker.jar class-archive), not from "
                        + System.getProperty("java.class.path")));
        Path archive = jar.resolveSibling(ClassDataArchive.FILE);
        Files.deleteIfExists(archive);
        Path work = jar.resolveSibling("class-archive-job");
        List<String> args = new ArrayList<>(List.of("--world-size", "1", "--samples", "256", "--out",
                work.toString(), "--jvm-opt", "-Xmx1g", "--jvm-opt", "-XX:TieredStopAtLevel=1", "--jvm-opt",
                "-XX:ArchiveClassesAtExit=" + archive, "--jvm-opt", "-Xlog:cds=off", "--jvm-opt",
                "-Xlog:cds+dynamic=off"));
        int code = new CommandLine(new LaunchCommand()).execute(args.toArray(String[]::new));
        if (code != 0 || !Files.isRegularFile(archive)) {
            System.err.println("class-archive: the job exited " + code + "; no archive made (launch works without)");
            return code != 0 ? code : ExitCodes.JOB_FAILED;
        }
        ClassDataArchive.recordMadeFor(jar);
        System.out.printf("class-archive: wrote %s (%,d bytes) for %s%n", archive, Files.size(archive),
                System.getProperty("java.vm.version"));
        return ExitCodes.OK;
    }
}
