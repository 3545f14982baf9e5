package cambench.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cambench bench ...}: speed and memory benchmarks (targets live here, not in unit tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmarks: training and evaluation throughput, data pipeline, few-shot solver; repeat runs of one cell.",
        subcommands = {FewShotBenchCommand.class, TrainBenchCommand.class, DataBenchCommand.class,
            RepeatBenchCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
