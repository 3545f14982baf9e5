package cambench.app;

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
import cambench.harness.run.Protocols;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cambench list objectives|regularizers|models|presets|protocols}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        header = "List objectives or regularizers (name, kind, parameters, defaults), models, presets or protocols"
                + " (with their settings).")
final class ListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "objectives, regularizers, models, presets or protocols")
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
            case "regularizers" -> {
                for (cambench.api.RegularizerProvider p : plugins.objectives().regularizers().all().values()) {
                    out.printf("%-10s %-12s %s%n", p.name(),
                            p.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), p.description());
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
            case "protocols" -> {
                Protocols protocols = new Protocols(plugins.loader());
                for (String name : protocols.names()) {
                    out.println(name);
                    for (ParamSpec s : protocols.settings(name)) {
                        out.printf("    %s = %s  (%s)%n", s.name(), s.defaultValue(), s.description());
                    }
                }
            }
            default -> throw new UserException("list " + what + ": expected objectives, regularizers, models, presets or protocols");
        }
        out.flush();
        return 0;
    }
}
