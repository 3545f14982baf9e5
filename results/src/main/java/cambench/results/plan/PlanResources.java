package cambench.results.plan;

import cambench.api.UserException;
import cambench.results.plan.Preset;
import cambench.results.plan.TableSpec;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads presets ({@code cambench/presets/NAME.json}) and table specs
 * ({@code cambench/tables/ID.json}) from the class path, where the protocols module keeps them
 * as data.
 */
public final class PlanResources {
    /** The preset names shipped. */
    public static final String[] PRESETS = {"smoke", "quick", "cpu", "paper"};

    private final ClassLoader loader;

    /** Reads from {@code loader}'s class path. */
    public PlanResources(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * A preset by name.
     *
     * @throws UserException for an unknown name
     */
    public Preset preset(String name) {
        return read("cambench/presets/" + name + ".json", Preset.class,
                "unknown preset '" + name + "'; known: " + String.join(", ", PRESETS));
    }

    /**
     * A table spec by id, e.g. {@code table3}.
     *
     * @throws UserException for an unknown id
     */
    public TableSpec table(String id) {
        return read("cambench/tables/" + id + ".json", TableSpec.class, "unknown table '" + id + "'");
    }

    private <T> T read(String resource, Class<T> type, String missing) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UserException(missing);
            }
            return RunStore.json().readValue(in, type);
        } catch (IOException e) {
            throw new IllegalStateException("malformed built-in resource " + resource + ": " + e.getMessage(), e);
        }
    }
}
