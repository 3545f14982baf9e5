package cambench.harness.check;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import cambench.harness.model.Network;
import cambench.api.CamMaps;
import cambench.api.Objective;
import cambench.api.ObjectiveInstance;
import cambench.api.Objectives;
import cambench.api.Params;
import cambench.api.Progress;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;
import cambench.api.UserException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Evaluates one objective on fixed tensors and returns the loss and the gradients of the total
 * objective with respect to features, weight and bias (docs/losses.md, "loss-check").
 *
 * <p>Schedules are at their switched-on value ({@link Progress#steadyState()}). Objective state
 * (e.g. {@code centers}) is read from the fixture field of the same name and written back after
 * {@link Objective#afterStep} as {@code NAME_next}.
 *
 * <p>It computes what it is given: a CAM of fewer than 2x2 positions (e.g. from 1x1 features),
 * which training refuses ({@link CamMaps#minMax}), is evaluated here (its min-max normalisation is
 * 0) and reported to the warning sink.
 */
public final class LossCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Objectives objectives;
    private final Consumer<String> warnings;

    /** Creates a checker over a registry that drops warnings. */
    public LossCheck(Objectives objectives) {
        this(objectives, warning -> { });
    }

    /**
     * Creates a checker over a registry.
     *
     * @param warnings receives one line per thing computed that training would refuse (a degenerate CAM)
     */
    public LossCheck(Objectives objectives, Consumer<String> warnings) {
        this.objectives = objectives;
        this.warnings = warnings;
    }

    /**
     * Reads and evaluates a fixture file.
     *
     * @throws UserException for an unreadable file or bad content, naming the file and field
     */
    public ObjectNode run(Path fixture) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(fixture));
        } catch (IOException e) {
            throw new UserException(fixture + ": cannot read JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new UserException(fixture + ": expected a JSON object");
        }
        try (CamMaps.DegenerateMaps degenerate = CamMaps.acceptDegenerate()) {
            ObjectNode result;
            try {
                result = evaluate(root);
            } catch (UserException e) {
                throw new UserException(fixture.getFileName() + ": " + e.getMessage(), e);
            }
            if (degenerate.seen()) {
                warnings.accept(fixture.getFileName() + ": a class activation map of " + degenerate.smallestPositions()
                        + " position(s) was min-max normalised (to 0, whatever the features); computed as given,"
                        + " but training refuses maps smaller than 2x2");
            }
            return result;
        }
    }

    /** Evaluates a parsed fixture. */
    public ObjectNode evaluate(JsonNode root) {
        String name = objectiveName(root);
        Params params = objectives.resolve(name, params(root));
        try (NDManager manager = NDManager.newBaseManager()) {
            Inputs in = Inputs.read(manager, root);
            try (ObjectiveInstance objective = objectives.create(name, params, in.classes(), in.channels(), manager)) {
                if (objective.kind().needsTeacher() && in.teacher().isEmpty()) {
                    throw new UserException("teacher_features: missing; " + name + " needs a teacher"
                            + " (teacher_features, teacher_weight, teacher_bias)");
                }
                loadState(manager, root, objective);
                return step(in, objective);
            }
        }
    }

    private static String objectiveName(JsonNode root) {
        JsonNode node = root.get("loss");
        if (node == null || !node.isTextual()) {
            throw new UserException("loss: missing (expected an objective name such as \"cam\")");
        }
        return node.asText();
    }

    /**
     * One step at {@link Progress#steadyState()}: the loss, the gradients of f, W and b, and the
     * state after {@link Objective#afterStep} as {@code NAME_next}.
     */
    private static ObjectNode step(Inputs in, ObjectiveInstance objective) {
        for (NDArray p : List.of(in.features(), in.weight(), in.bias())) {
            p.setRequiresGradient(true);
        }
        ObjectNode result = JSON.createObjectNode();
        StepOutputs out;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            out = in.outputs();
            NDArray total = objective.terms(out).total();
            gc.backward(total);
            result.put("loss", total.getFloat());
        }
        result.set("grad_features", TensorJson.write(in.features().getGradient()));
        result.set("grad_weight", TensorJson.write(in.weight().getGradient()));
        result.set("grad_bias", TensorJson.write(in.bias().getGradient()));
        objective.afterStep(out);
        for (Map.Entry<String, NDArray> e : objective.state().entrySet()) {
            result.set(e.getKey() + "_next", TensorJson.write(e.getValue()));
        }
        return result;
    }

    /**
     * The fixture's tensors, checked against each other.
     *
     * @param features f [N, C, H, W]
     * @param weight W [K, C]
     * @param bias b [K]
     * @param labels y [N]
     * @param teacher the teacher's outputs when the fixture has {@code teacher_features}
     */
    private record Inputs(NDArray features, NDArray weight, NDArray bias, NDArray labels,
            Optional<TeacherOutputs> teacher) {

        static Inputs read(NDManager manager, JsonNode root) {
            NDArray f = TensorJson.read(manager, root, "features", 4);
            NDArray w = TensorJson.read(manager, root, "weight", 2);
            NDArray b = TensorJson.read(manager, root, "bias", 1);
            long n = f.getShape().get(0);
            long c = f.getShape().get(1);
            long k = w.getShape().get(0);
            requireEqual("weight.shape[1]", w.getShape().get(1), "features channels", c);
            requireEqual("bias.shape[0]", b.getShape().get(0), "weight rows", k);
            NDArray labels = manager.create(readLabels(root, n, k));
            return new Inputs(f, w, b, labels, readTeacher(manager, root, n, k));
        }

        int classes() {
            return Math.toIntExact(weight.getShape().get(0));
        }

        int channels() {
            return Math.toIntExact(features.getShape().get(1));
        }

        /** The step's outputs: z = GAP(f), s = z W^T + b, the feature map as the only stage. */
        StepOutputs outputs() {
            NDArray pooled = Network.globalAveragePool(features);
            NDArray logits = pooled.getNDArrayInternal().linear(pooled, weight, bias).singletonOrThrow();
            return StepOutputs.builder().setFeatures(features).setPooled(pooled).setLogits(logits)
                    .setClassifier(weight, bias).setLabels(labels).setProgress(Progress.steadyState())
                    .optStages(List.of(features)).optTeacher(teacher).build();
        }
    }

    private static void requireEqual(String field, long got, String what, long expected) {
        if (got != expected) {
            throw new UserException(field + ": " + got + " does not match " + what + " " + expected);
        }
    }

    private static long[] readLabels(JsonNode root, long n, long k) {
        JsonNode node = root.get("labels");
        if (node == null || !node.isArray()) {
            throw new UserException("labels: missing (expected an array of " + n + " class indices)");
        }
        if (node.size() != n) {
            throw new UserException("labels: " + node.size() + " values, but features hold " + n + " samples");
        }
        long[] y = new long[(int) n];
        for (int i = 0; i < n; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() >= k) {
                throw new UserException("labels[" + i + "]: " + v + " is out of range 0.." + (k - 1));
            }
            y[i] = v.asLong();
        }
        return y;
    }

    private static Map<String, String> params(JsonNode root) {
        Map<String, String> params = new TreeMap<>();
        JsonNode node = root.get("params");
        if (node == null || node.isNull()) {
            return params;
        }
        if (!node.isObject()) {
            throw new UserException("params: expected an object of name: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new UserException("params." + e.getKey() + ": expected a number, boolean or string");
            }
            params.put(e.getKey(), e.getValue().asText());
        }
        return params;
    }

    private static Optional<TeacherOutputs> readTeacher(NDManager manager, JsonNode root, long n, long k) {
        if (!root.has("teacher_features")) {
            return Optional.empty();
        }
        NDArray ft = TensorJson.read(manager, root, "teacher_features", 4);
        NDArray wt = TensorJson.read(manager, root, "teacher_weight", 2);
        NDArray bt = TensorJson.read(manager, root, "teacher_bias", 1);
        requireEqual("teacher_features.shape[0]", ft.getShape().get(0), "features samples", n);
        requireEqual("teacher_weight.shape[0]", wt.getShape().get(0), "student classes", k);
        requireEqual("teacher_weight.shape[1]", wt.getShape().get(1), "teacher_features channels",
                ft.getShape().get(1));
        requireEqual("teacher_bias.shape[0]", bt.getShape().get(0), "teacher_weight rows", k);
        NDArray pooled = Network.globalAveragePool(ft);
        NDArray logits = pooled.getNDArrayInternal().linear(pooled, wt, bt).singletonOrThrow();
        return Optional.of(new TeacherOutputs(ft, logits, wt, bt, List.of(ft)));
    }

    private static void loadState(NDManager manager, JsonNode root, ObjectiveInstance objective) {
        for (Map.Entry<String, NDArray> e : objective.state().entrySet()) {
            NDArray target = e.getValue();
            NDArray given = TensorJson.read(manager, root, e.getKey(), target.getShape().dimension());
            if (!given.getShape().equals(target.getShape())) {
                throw new UserException(e.getKey() + ".shape: expected " + target.getShape() + ", got "
                        + given.getShape());
            }
            target.set(given.toFloatArray());
        }
    }
}
