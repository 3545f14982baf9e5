package cambench.results.plan;

import cambench.api.UserException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a spec's JSON tree against the record type it is read into, before any value is bound:
 * every object key must be a field of the record at that place (snake_case of the component, or
 * its {@code @JsonProperty} name). Jackson binds records through their constructor and reports a
 * missing value before an unknown key, so a typo would otherwise surface as "field X missing".
 */
final class SpecFields {
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private SpecFields() {
    }

    /**
     * @throws UserException naming the first unknown key with its path and the keys known there
     */
    static void check(JsonNode node, Type type, String path) {
        if (node == null || node.isNull()) {
            return;
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw.isRecord() && node.isObject()) {
            checkRecord(node, raw, path);
        } else if (List.class.isAssignableFrom(raw) && node.isArray() && type instanceof ParameterizedType p) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), p.getActualTypeArguments()[0], path + "[" + i + "]");
            }
        }
    }

    private static void checkRecord(JsonNode node, Class<?> raw, String path) {
        Set<String> known = new TreeSet<>();
        JsonIgnoreProperties ignored = raw.getAnnotation(JsonIgnoreProperties.class);
        if (ignored != null) {
            known.addAll(List.of(ignored.value()));
        }
        for (RecordComponent c : raw.getRecordComponents()) {
            known.add(jsonName(c));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String at = path.isEmpty() ? key : path + "." + key;
            if (!known.contains(key)) {
                throw new UserException("unknown field '" + at + "'; known here: " + String.join(", ", known));
            }
        }
        for (RecordComponent c : raw.getRecordComponents()) {
            String name = jsonName(c);
            check(node.get(name), c.getGenericType(), path.isEmpty() ? name : path + "." + name);
        }
    }

    private static String jsonName(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        if (p == null && c.getDeclaringRecord() != null) {
            try {
                p = c.getDeclaringRecord().getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                p = null;
            }
        }
        return p != null && !p.value().isEmpty() ? p.value() : SNAKE.translate(c.getName());
    }
}
