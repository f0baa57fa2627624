package io.jfmi.worker;

import io.jfmi.worker.cli.ClassArchiveCommand;
import io.jfmi.worker.cli.Cli;
import io.jfmi.worker.cli.ExportWeightsCommand;
import io.jfmi.worker.cli.GenerateCommand;
import io.jfmi.worker.cli.InvokeCommand;
import io.jfmi.worker.cli.LaunchCommand;
import io.jfmi.worker.cli.OrchestrateCommand;
import io.jfmi.worker.cli.PartitionCommand;
import io.jfmi.worker.cli.RunCommand;
import io.jfmi.worker.cli.StepFunctionCommand;
import io.jfmi.worker.cli.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code java -jar worker.jar <command>}. */
@Command(name = "worker", mixinStandardHelpOptions = true, version = "jfmi worker 0.1.0",
        description = "A jfmi rank, and a launcher for whole local jobs.",
        subcommands = {RunCommand.class, LaunchCommand.class, GenerateCommand.class, PartitionCommand.class,
            TrainCommand.class, InvokeCommand.class, ExportWeightsCommand.class, StepFunctionCommand.class,
            OrchestrateCommand.class, ClassArchiveCommand.class,
            CommandLine.HelpCommand.class})
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        io.jfmi.worker.inference.DjlSetup.offline();
        System.exit(execute(args));
    }

    /** Runs the command line; bad arguments print the problem and give exit code 64. */
    public static int execute(String... args) {
        return Cli.execute(WorkerMain.class, args);
    }
}
