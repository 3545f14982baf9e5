package cambench.protocols.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import cambench.api.UserException;
import cambench.harness.model.Network;
import cambench.harness.train.Checkpoint;
import cambench.harness.train.TorchStateDict;
import cambench.results.plan.Cell;
import cambench.results.store.RunStore;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights files of trained networks and the backbone part of them (docs/transfer.md).
 *
 * <p>A weights file is a cambench checkpoint file (magic {@code CBCK}, version 1, a JSON text,
 * then named float32 arrays) holding every parameter and buffer of a network under the harness's
 * names ({@code conv1.weight}, {@code layer1.0.bn1.running_mean}, ...; the classifier is
 * {@code fc.*}), with the JSON text {@code {"model": NAME, ...}}. The backbone is every array
 * except {@code fc.*}. A PyTorch {@code state_dict} saved with {@code torch.save} (a zip file) is
 * read as well ({@link TorchStateDict}), under the same names.
 */
public final class Backbones {
    /** Name prefix of the classifier head's arrays. */
    static final String HEAD_PREFIX = "fc.";

    private Backbones() {
    }

    /** Where the final weights of a finished classification cell are kept: {@code OUT/weights/NAME.params}. */
    public static Path weightsPath(RunStore store, Cell cell) {
        return store.root().resolve("weights").resolve(cell.fileName() + ".params");
    }

    /** Every parameter and buffer of {@code net}, by name. */
    static Map<String, NDArray> arrays(Network net) {
        Map<String, NDArray> arrays = new LinkedHashMap<>(net.store().parameters());
        arrays.putAll(net.store().buffers());
        return arrays;
    }

    /** Writes the weights file of a trained network. */
    public static void save(Path file, Network net, String cellKey) {
        try {
            Map<String, String> fields = new java.util.LinkedHashMap<>(); // fixed order: the file is the same every run
            fields.put("model", net.name());
            fields.put("cell", cellKey);
            String meta = RunStore.json().writeValueAsString(fields);
            Checkpoint.save(file, arrays(net), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write weights " + file, e);
        }
    }

    /**
     * Copies the backbone of weights file {@code file} (a cambench weights file or a PyTorch
     * state_dict) into {@code net}, leaving its head as initialised.
     *
     * @return how many arrays were copied
     * @throws UserException in one line naming the file's model and {@code net}'s when an array
     *     of the backbone is missing from the file or has another shape
     */
    public static int loadBackbone(Path file, Network net) {
        Checkpoint.Contents c;
        try {
            c = TorchStateDict.isZip(file) ? TorchStateDict.read(file) : Checkpoint.read(file);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read backbone weights (" + e.getMessage() + ")", e);
        }
        String fileModel = modelOf(c.text());
        int copied = 0;
        for (Map.Entry<String, NDArray> e : arrays(net).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(HEAD_PREFIX)) {
                continue;
            }
            NDArray target = e.getValue();
            long[] want = target.getShape().getShape();
            long[] have = c.shapes().get(name);
            if (have == null || !Arrays.equals(want, have)) {
                throw new UserException("backbone " + file.getFileName() + " (model " + fileModel
                        + ") does not fit model " + net.name() + ": array " + name + " is "
                        + (have == null ? "missing" : Arrays.toString(have)) + " in the file, "
                        + Arrays.toString(want) + " in the model");
            }
            try (NDArray src = target.getManager().create(c.values().get(name), target.getShape())) {
                target.set(new NDIndex("..."), src);   // in place: keep views (optimizer's flat parameters) intact
            }
            copied++;
        }
        return copied;
    }

    private static String modelOf(String text) {
        try {
            JsonNode n = RunStore.json().readTree(text);
            return n.hasNonNull("model") ? n.get("model").asText() : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Whether a weights file exists for {@code cell}. */
    static boolean exists(RunStore store, Cell cell) {
        return Files.exists(weightsPath(store, cell));
    }
}
