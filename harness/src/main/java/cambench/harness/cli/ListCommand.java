package cambench.harness.cli;

import cambench.harness.model.Models;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.results.plan.PlanResources;
import cambench.api.UserException;
import cambench.results.plan.Preset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cambench list objectives|models|presets}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        header = "List objectives (name, kind, parameters, defaults), models or presets.")
final class ListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "objectives, models or presets")
    String what;

    @Mixin
    PluginOptions plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (what) {
            case "objectives" -> {
                for (ObjectiveProvider p : plugins.objectives().all().values()) {
                    out.printf("%-10s %-9s %s%n", p.name(), p.kind().name().toLowerCase(Locale.ROOT),
                            p.description());
                    for (ParamSpec s : p.parameters()) {
                        out.printf("    %s.%s = %s  (%s)%n", p.name(), s.name(),
                                s.defaultValue() == null ? "<required>" : s.defaultValue(), s.description());
                    }
                }
            }
            case "models" -> Models.names().forEach(out::println);
            case "presets" -> {
                PlanResources r = new PlanResources(plugins.loader());
                for (String name : PlanResources.PRESETS) {
                    Preset p = r.preset(name);
                    out.printf("%-6s seeds %d, tables %s: %s%n", name, p.seeds(), p.tables(), p.description());
                }
            }
            default -> throw new UserException("list " + what + ": expected objectives, models or presets");
        }
        out.flush();
        return 0;
    }
}
