package cambench.harness.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.UserException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes tensors in the fixture format {@code {"shape": [...], "data": [...]}}
 * (row-major float32).
 */
final class TensorJson {
    private TensorJson() {
    }

    /**
     * Reads a tensor field.
     *
     * @param root the fixture object
     * @param field the field name (used in error messages)
     * @param dims the required number of dimensions
     * @throws UserException naming the field when it is missing or malformed
     */
    static NDArray read(NDManager manager, JsonNode root, String field, int dims) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new UserException(field + ": missing");
        }
        JsonNode shapeNode = node.get("shape");
        JsonNode dataNode = node.get("data");
        if (shapeNode == null || !shapeNode.isArray() || dataNode == null || !dataNode.isArray()) {
            throw new UserException(field + ": expected {\"shape\": [...], \"data\": [...]}");
        }
        if (shapeNode.size() != dims) {
            throw new UserException(field + ".shape: expected " + dims + " dimensions, got " + shapeNode);
        }
        long[] shape = new long[dims];
        long size = 1;
        for (int i = 0; i < dims; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 1) {
                throw new UserException(field + ".shape: expected positive integers, got " + shapeNode);
            }
            shape[i] = d.asLong();
            size *= shape[i];
        }
        if (dataNode.size() != size) {
            throw new UserException(field + ".data: " + dataNode.size() + " values, but shape " + shapeNode
                    + " needs " + size);
        }
        float[] data = new float[(int) size];
        for (int i = 0; i < data.length; i++) {
            JsonNode v = dataNode.get(i);
            if (!v.isNumber()) {
                throw new UserException(field + ".data[" + i + "]: expected a number, got " + v);
            }
            data[i] = (float) v.asDouble();
        }
        return manager.create(data, new Shape(shape));
    }

    /** Writes a tensor as {@code {"shape", "data"}} with float32 values. */
    static ObjectNode write(NDArray array) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode shape = node.putArray("shape");
        for (long d : array.getShape().getShape()) {
            shape.add(d);
        }
        ArrayNode data = node.putArray("data");
        for (float v : array.toFloatArray()) {
            data.add(v);
        }
        return node;
    }
}
