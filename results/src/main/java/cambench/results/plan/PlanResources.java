package cambench.results.plan;

import cambench.api.UserException;
import cambench.results.store.RunStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

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
            return parse(in, resource, type);
        } catch (IOException e) {
            throw new UserException(resource + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Parses a preset or table spec strictly: an unknown field, a missing required one or a value
     * of the wrong type is a one-line {@link UserException} naming {@code source} and the field.
     */
    public static <T> T parse(InputStream in, String source, Class<T> type) throws IOException {
        T value;
        try {
            JsonNode tree = STRICT.readTree(in);
            SpecFields.check(tree, type, "");
            value = STRICT.treeToValue(tree, type);
        } catch (UserException e) {
            throw new UserException(source + ": " + e.getMessage());
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof UserException u) {
                throw new UserException(source + ": " + u.getMessage());
            }
            throw new UserException(source + ": " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            throw new UserException(source + ": field '" + path(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new UserException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        try {
            if (value instanceof TableSpec t) {
                t.validate();
            }
        } catch (UserException e) {
            throw new UserException(source + ": " + e.getMessage());
        }
        return value;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static final ObjectMapper STRICT = RunStore.json().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
}
