package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The named trainable parameters and buffers (e.g. BatchNorm running statistics) of one network.
 *
 * <p>Initial values are drawn in Java from a {@link SplittableRandom} seeded by the model seed, so
 * the same seed gives bit-identical initial weights on every engine and device. Names are unique
 * and kept in creation order; the checkpoint format and the optimizer rely on that order.
 */
public final class ParameterStore implements AutoCloseable {
    private final NDManager manager;
    private final SplittableRandom random;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final ResidualUnits residualUnits = new ResidualUnits();
    private final java.util.List<ConvShape> convolutions = new java.util.ArrayList<>();

    /**
     * Creates an empty store.
     *
     * @param manager the manager that owns every parameter (closed with this store)
     * @param seed initialisation seed
     */
    public ParameterStore(NDManager manager, long seed) {
        this.manager = manager;
        this.random = new SplittableRandom(seed);
    }

    /** The residual units of the network built on this store and their gate. */
    public ResidualUnits residualUnits() {
        return residualUnits;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Creates a trainable parameter.
     *
     * @param name unique dotted name, e.g. {@code stage1.block0.conv1.weight}
     * @param shape its shape
     * @param init how to fill it
     * @return the array, with gradient attached
     */
    public NDArray parameter(String name, Shape shape, Init init) {
        float[] values = init.values(shape, random);
        NDArray array = manager.create(values, shape);
        array.setName(name);
        array.setRequiresGradient(true);
        put(parameters, name, array);
        return array;
    }

    /**
     * Creates a non-trainable buffer filled with one value.
     *
     * @param name unique dotted name
     * @param shape its shape
     * @param value the fill value
     * @return the array (no gradient)
     */
    public NDArray buffer(String name, Shape shape, float value) {
        NDArray array = manager.full(shape, value);
        array.setName(name);
        put(buffers, name, array);
        return array;
    }

    private void put(Map<String, NDArray> map, String name, NDArray array) {
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter name " + name);
        }
        map.put(name, array);
    }

    /** Notes a convolution layer of the network built on this store (its {@link Conv2d} does). */
    void addConvolution(ConvShape shape) {
        convolutions.add(shape);
    }

    /** The configurations of the network's convolution layers, one per layer, in creation order (read-only). */
    public java.util.List<ConvShape> convolutions() {
        return Collections.unmodifiableList(convolutions);
    }

    /** Trainable parameters in creation order (read-only view). */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Buffers in creation order (read-only view). */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (NDArray p : parameters.values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /** Number of trainable scalars whose name starts with {@code prefix}. */
    public long parameterCount(String prefix) {
        long n = 0;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                n += e.getValue().getShape().size();
            }
        }
        return n;
    }

    /**
     * Closes every array of this store's manager that is neither a parameter, a buffer nor in
     * {@code keep}. DJL attaches an op's result to the manager of the array the op is called on,
     * so an op on a parameter (e.g. {@code weight.stopGradient()} in a loss) leaves its result
     * here, outside the step's scope; sweeping after every step keeps memory flat.
     *
     * @param keep further long-lived arrays owned by this manager (optimizer and objective state)
     * @return how many arrays were closed
     */
    public int sweep(java.util.Collection<NDArray> keep) {
        java.util.Set<NDArray> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        live.addAll(parameters.values());
        live.addAll(buffers.values());
        live.addAll(keep);
        int closed = 0;
        for (NDArray a : manager.getManagedArrays()) {
            if (!live.contains(a) && a.getManager() == manager) {
                a.close();
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        manager.close();
    }
}
