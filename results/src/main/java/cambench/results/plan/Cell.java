package cambench.results.plan;

import cambench.results.record.Recipe;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One independent unit of work: a protocol applied to (data set, model, objective, parameters,
 * recipe, seed). Its {@link #key()} is derived from all of these, so a finished cell is never
 * recomputed and a changed setting is never mistaken for a finished one.
 *
 * @param protocol protocol name, e.g. {@code classification}
 * @param dataset data set spec, e.g. {@code cifar100} or {@code glyphs:classes=20}
 * @param model architecture name
 * @param objective objective name
 * @param params objective parameters as text (sorted)
 * @param recipe optimisation recipe
 * @param seed seed of initialisation, data order and augmentation
 * @param teacher the cell this one depends on: the classification cell that trains the teacher
 *     (distillation) or the pretraining cell whose backbone is fine-tuned (transfer), or null
 * @param settings the protocol's settings as text (sorted), defaults included: numbers that move
 *     a result without being an objective parameter or part of the recipe (dropout, the few-shot
 *     fine-tuning recipe, the cosine scale, ...); see {@code Protocol#settings}
 * @param regularizers regularizer names in the order they apply (docs/regularizers.md); empty for none
 * @param regularizerParams resolved regularizer parameters, {@code name.param -> value} (sorted)
 */
public record Cell(String protocol, String dataset, String model, String objective,
        Map<String, String> params, Recipe recipe, long seed, Cell teacher, Map<String, String> settings,
        List<String> regularizers, Map<String, String> regularizerParams) {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** A cell without a teacher. */
    public Cell(String protocol, String dataset, String model, String objective, Map<String, String> params,
            Recipe recipe, long seed) {
        this(protocol, dataset, model, objective, params, recipe, seed, null);
    }

    /** A cell with protocol defaults left implicit (tests, single runs that resolve them later), no regularizers. */
    public Cell(String protocol, String dataset, String model, String objective, Map<String, String> params,
            Recipe recipe, long seed, Cell teacher) {
        this(protocol, dataset, model, objective, params, recipe, seed, teacher, Map.of());
    }

    /** A cell without regularizers. */
    public Cell(String protocol, String dataset, String model, String objective, Map<String, String> params,
            Recipe recipe, long seed, Cell teacher, Map<String, String> settings) {
        this(protocol, dataset, model, objective, params, recipe, seed, teacher, settings, List.of(), Map.of());
    }

    /**
     * Copies params and settings into read-only maps sorted by name (so a record lists them in the same
     * order every run; {@code Map.copyOf} would not); absent settings and regularizers are none.
     */
    public Cell {
        params = sorted(params);
        settings = settings == null ? Map.of() : sorted(settings);
        regularizers = regularizers == null ? List.of() : List.copyOf(regularizers);
        regularizerParams = regularizerParams == null ? Map.of() : sorted(regularizerParams);
    }

    private static Map<String, String> sorted(Map<String, String> m) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** The same cell with regularizers (names in order, resolved {@code name.param} values). */
    public Cell withRegularizers(List<String> names, Map<String, String> values) {
        return new Cell(protocol, dataset, model, objective, params, recipe, seed, teacher, settings, names, values);
    }

    /** The same cell with other protocol settings. */
    public Cell withSettings(Map<String, String> newSettings) {
        return new Cell(protocol, dataset, model, objective, params, recipe, seed, teacher, newSettings,
                regularizers, regularizerParams);
    }

    /**
     * The settings key a plan adds, as {@code true}, to the cells of a table row that declares
     * divergence a possible outcome ({@code allow_divergence}): the harness's, not a protocol's, and
     * absent otherwise, so every other cell keeps its key while these get their own.
     */
    public static final String ALLOW_DIVERGENCE = "allow_divergence";

    /** Whether a blow-up of this cell's training is recorded (health flagged) instead of failing it. */
    public boolean allowsDivergence() {
        return "true".equals(settings.get(ALLOW_DIVERGENCE));
    }

    /** The protocol's own settings: {@link #settings} without {@link #ALLOW_DIVERGENCE}. */
    public Map<String, String> protocolSettings() {
        Map<String, String> own = new TreeMap<>(settings);
        own.remove(ALLOW_DIVERGENCE);
        return own;
    }

    /** The objective and its regularizers as a row reads, e.g. {@code cam+cutmix+shakedrop}. */
    public String objectiveWithRegularizers() {
        return regularizers.isEmpty() ? objective : objective + "+" + String.join("+", regularizers);
    }

    /** Whether this cell trains a student from scratch beside a teacher cell (distillation). */
    public boolean trainsBesideTeacher() {
        return teacher != null && protocol.equals(Plan.DISTILLATION_PROTOCOL);
    }

    /**
     * The seed of the network's initial weights. For every cell but a student it is {@link #seed}
     * (so those cells keep their weights and keys). A student's is derived from its own cell (a
     * digest of its fields), never equal to its teacher's: the same model and seed would otherwise
     * start the student of a self-distillation pair (ResNet-110 to ResNet-110) exactly where its
     * teacher started. Data order and augmentation still follow {@link #seed}.
     */
    public long initSeed() {
        if (!trainsBesideTeacher()) {
            return seed;
        }
        byte[] d = sha256((digestHex(fields()) + "/init").getBytes(StandardCharsets.UTF_8));
        long derived = java.nio.ByteBuffer.wrap(d, 0, 8).getLong() & Long.MAX_VALUE;
        return derived == teacher.initSeed() ? derived ^ 1 : derived;
    }

    /**
     * A stable 16-hex-digit digest of every field ({@code settings} and the regularizers only when
     * there are any, so such a cell keeps the key it had before these fields existed; a student
     * adds the marker of its own initialisation, {@link #initSeed}).
     */
    public String key() {
        Map<String, Object> fields = fields();
        if (trainsBesideTeacher()) {
            fields.put("init", "own");   // students of older builds started from their seed: not reused
        }
        return digestHex(fields);
    }

    private static String digestHex(Map<String, Object> fields) {
        try {
            return HexFormat.of().formatHex(sha256(CANONICAL.writeValueAsBytes(fields)), 0, 8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fields the key digests (without a student's initialisation marker). */
    private Map<String, Object> fields() {
        Map<String, Object> fields = new TreeMap<>(Map.of(
                "protocol", protocol, "dataset", dataset, "model", model, "objective", objective,
                "params", new TreeMap<>(params), "recipe", recipe, "seed", seed));
        if (teacher != null) {
            fields.put("teacher", teacher.key());
        }
        if (!settings.isEmpty()) {
            fields.put("settings", new TreeMap<>(settings));
        }
        if (!regularizers.isEmpty()) {   // absent when none: cells without regularizers keep their keys
            fields.put("regularizers", regularizers);
            fields.put("regularizer_params", new TreeMap<>(regularizerParams));
        }
        return fields;
    }

    /** A readable, file-system-safe name: {@code protocol-dataset-model-objective-sSEED-KEY}. */
    public String fileName() {
        String student = teacher == null ? model : teacher.model() + "_to_" + model;
        String readable = String.join("-", protocol, dataset, student, objectiveWithRegularizers(), "s" + seed);
        return readable.replaceAll("[^A-Za-z0-9_.+=-]", "_") + "-" + key();
    }
}
