package cambench.app;

import cambench.harness.check.LossCheck;
import cambench.harness.engine.EngineSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cambench loss-check FIXTURE.json}: one objective on fixed tensors, loss and gradients as JSON. */
@Command(name = "loss-check", mixinStandardHelpOptions = true,
        header = "Evaluate an objective on a fixture: prints loss and gradients as JSON (docs/losses.md).",
        description = "Computes what it is given: a CAM smaller than 2x2 (which training refuses) is a warning on"
                + " stderr.")
final class LossCheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FIXTURE.json", description = "fixture file")
    Path fixture;

    @Mixin
    PluginOptions plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        EngineSetup.start(1);
        java.io.PrintWriter err = spec.commandLine().getErr();
        String json = new LossCheck(plugins.objectives(), w -> err.println("cambench: warning: " + w)).run(fixture)
                .toString();
        err.flush();
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
