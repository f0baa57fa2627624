package io.jfmi.benchmarks;

import io.jfmi.benchmarks.coldstart.ColdStartCommand;
import io.jfmi.benchmarks.collective.CollectivesCommand;
import io.jfmi.benchmarks.collective.PairedCommand;
import io.jfmi.benchmarks.compare.CompareCommand;
import io.jfmi.benchmarks.connect.ConnectCommand;
import io.jfmi.benchmarks.fold.FoldCommand;
import io.jfmi.benchmarks.inference.InferenceCommand;
import io.jfmi.benchmarks.rendezvous.RelaySoakCommand;
import io.jfmi.benchmarks.security.HealingCostCommand;
import io.jfmi.benchmarks.security.LinkSecurityCommand;
import io.jfmi.benchmarks.rendezvous.RendezvousScaleCommand;
import io.jfmi.benchmarks.sweep.SweepCommand;
import io.jfmi.worker.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code java -jar benchmarks.jar <benchmark>}. */
@Command(name = "benchmarks", mixinStandardHelpOptions = true, version = "jfmi benchmarks 0.1.0",
        description = "jfmi benchmarks; each starts its own rendezvous server and rank JVMs.",
        subcommands = {CollectivesCommand.class, PairedCommand.class, CompareCommand.class, ConnectCommand.class,
            InferenceCommand.class,
            ColdStartCommand.class, FoldCommand.class, SweepCommand.class, RendezvousScaleCommand.class,
            RelaySoakCommand.class,
            LinkSecurityCommand.class, HealingCostCommand.class,
            CommandLine.HelpCommand.class})
public final class BenchmarksMain {
    private BenchmarksMain() {
    }

    public static void main(String[] args) {
        // The local rendezvous servers log at INFO otherwise; benchmark output should be the tables.
        if (System.getProperty("jfmi.log.level") == null) {
            System.setProperty("jfmi.log.level", "WARN");
        }
        System.exit(Cli.execute(BenchmarksMain.class, args));
    }
}
