package cambench.app;

import cambench.api.Objectives;
import cambench.harness.run.Protocols;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanBuilder;
import cambench.results.plan.PlanResources;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a plan is made of on the command line ({@code reproduce}, {@code slurm}, {@code check}):
 * the preset, a subset of its tables, the seed count and extra objective / regularizer rows.
 * Together with {@code --param} and {@code --setting} ({@link RunOptions}) these fix the plan,
 * and so its hash.
 */
public final class PlanOptions {
    @Option(names = "--preset", required = true, description = "smoke, quick, cpu or paper")
    String preset;

    @Option(names = "--tables", split = ",",
            description = "table numbers to keep, e.g. 3,4 (default: all of the preset)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--seeds", description = "number of seeds (default: the preset's)")
    Integer seeds;

    @Option(names = "--losses", split = ",", description = "extra objectives added as rows everywhere, e.g. +focal")
    List<String> losses = new ArrayList<>();

    @Option(names = "--regularizers", split = ",",
            description = "extra regularizers (e.g. a plugin's) added as rows objective+R to tables with regularizer rows")
    List<String> regularizers = new ArrayList<>();

    @Option(names = "--include-omitted", description = "plan also the cells the preset leaves out (its"
            + " 'omit' field; paper: Table 2's ShakeDrop rows on ImageNet, which the paper prints no number for)")
    boolean includeOmitted;

    /**
     * Builds the plan these options ask for.
     *
     * @param params {@code --param} overrides ({@code objective.param -> value})
     * @param settings {@code --setting} overrides (protocol settings)
     * @throws cambench.api.UserException for an unknown preset, table, objective, parameter or setting
     */
    public Plan plan(ClassLoader loader, Objectives objectives, Map<String, String> params,
            Map<String, String> settings) {
        List<String> extra = losses.stream().map(l -> l.startsWith("+") ? l.substring(1) : l).toList();
        return new PlanBuilder(new PlanResources(loader), objectives, new Protocols(loader)::settings)
                .includeOmitted(includeOmitted).build(preset, tables, seeds, extra, params, regularizers, settings);
    }

    /** These options as command-line arguments, to start a worker with the same plan. */
    public List<String> asArguments() {
        List<String> args = new ArrayList<>(List.of("--preset=" + preset));
        if (!tables.isEmpty()) {
            args.add("--tables=" + String.join(",", tables));
        }
        if (seeds != null) {
            args.add("--seeds=" + seeds);
        }
        if (!losses.isEmpty()) {
            args.add("--losses=" + String.join(",", losses));
        }
        if (!regularizers.isEmpty()) {
            args.add("--regularizers=" + String.join(",", regularizers));
        }
        if (includeOmitted) {
            args.add("--include-omitted");
        }
        return args;
    }
}
