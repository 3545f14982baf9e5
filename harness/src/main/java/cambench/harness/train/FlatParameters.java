package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's parameters packed into one flat array, so that an optimizer updates all of them with a
 * handful of whole-array operations instead of several small ones per parameter.
 *
 * <p>On creation the parameters' values are copied into one flat array [n] (n = total scalars, in
 * the map's order) and each parameter array is re-pointed ({@link NDArray#intern}) at its slice of
 * it, reshaped: the same Java objects the layers hold, same names, shapes and values, still leaves
 * of the autograd graph, now views. Writing the flat array writes every parameter; writing a
 * parameter (a checkpoint load) writes the flat array.
 *
 * <p>Gradients stay per parameter (libtorch allocates them); once every parameter has one,
 * {@link #gradients} gathers them into a flat copy with one concatenation of cached flat views of
 * them. libtorch accumulates into a gradient in place and {@link #zeroGradients} zeroes it in place,
 * so the views stay valid for the life of the network.
 *
 * <p>Every array made here lives in a sub-manager of the parameters' manager, which the trainer's
 * per-step sweep of that manager leaves alone; it is released with the network.
 */
final class FlatParameters {
    private final List<NDArray> params;
    private final List<String> names;
    private final long[] offsets;
    private final NDManager own;
    private final NDArray flat;
    private PtNDArray[] flatGradients;

    /**
     * Packs {@code parameters} (float32, one device) into one flat array.
     *
     * @param parameters trainable parameters by name, gradients attached
     * @param manager the parameters' manager; a sub-manager of it owns everything made here
     */
    FlatParameters(Map<String, NDArray> parameters, NDManager manager) {
        this.params = new ArrayList<>(parameters.values());
        this.names = new ArrayList<>(parameters.keySet());
        this.own = manager.newSubManager();
        this.offsets = new long[params.size() + 1];
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            if (p.getDataType() != DataType.FLOAT32 || !p.getDevice().equals(params.get(0).getDevice())) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " is " + p.getDataType() + " on "
                        + p.getDevice() + "; the optimizer needs float32 parameters on one device");
            }
            offsets[i + 1] = offsets[i] + p.getShape().size();
        }
        if (params.isEmpty()) {
            this.flat = own.zeros(new Shape(0));
            return;
        }
        PtNDArray[] pieces = new PtNDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            pieces[i] = (PtNDArray) params.get(i).reshape(-1);
        }
        this.flat = JniUtils.cat(pieces, 0); // always a copy (NDArrays.concat returns a single array itself)
        flat.attach(own);
        for (PtNDArray piece : pieces) {
            piece.close();
        }
        List<NDArray> views = viewsOf(flat);
        for (int i = 0; i < params.size(); i++) {
            NDArray view = views.get(i);
            view.setRequiresGradient(true);
            params.get(i).intern(view); // the parameter now points at its slice of flat; view's wrapper is closed
        }
    }

    /** The flat parameter values [n]; writing it writes the parameters. */
    NDArray values() {
        return flat;
    }

    /** Total number of scalars n. */
    long size() {
        return offsets[params.size()];
    }

    /** A new zero array [n] for optimizer state, owned here. */
    NDArray zeros() {
        return zeros(new Shape(size()));
    }

    /** A new zero array of any shape, owned here. */
    NDArray zeros(Shape shape) {
        return own.zeros(shape);
    }

    /** A float32 scalar (0-d array) owned here, for whole-array arithmetic without per-call scalar arrays. */
    NDArray scalar(float value) {
        return own.full(new Shape(), value); // libtorch-allocated (see cambench.api.Scalars)
    }

    /**
     * Per-parameter views of a flat array [n], in the parameters' shapes, named {@code prefix + name}
     * (the checkpoint keys of optimizer state).
     */
    Map<String, NDArray> named(NDArray flatState, String prefix) {
        List<NDArray> views = viewsOf(flatState);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < views.size(); i++) {
            views.get(i).setName(prefix + names.get(i));
            out.put(prefix + names.get(i), views.get(i));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Views of a flat array [n] shaped as the parameters, attached to the array's manager. */
    private List<NDArray> viewsOf(NDArray flatArray) {
        List<NDArray> views = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            try (NDArray slice = flatArray.get(new NDIndex("{}:{}", offsets[i], offsets[i + 1]))) {
                views.add(slice.reshape(params.get(i).getShape()));
            }
        }
        return views;
    }

    /**
     * The gradients of the last backward pass as one flat array [n] (a copy, attached to
     * {@code scratch}), or null while some parameter has no gradient yet (it took no part in any
     * backward pass so far).
     */
    NDArray gradients(NDManager scratch) {
        if (flatGradients == null && !cacheGradientViews()) {
            return null;
        }
        if (flatGradients.length == 0) {
            return scratch.zeros(new Shape(0));
        }
        NDArray g = JniUtils.cat(flatGradients, 0);
        g.attach(scratch);
        return g;
    }

    /** Caches a flat view of every parameter's gradient; false (nothing cached) while one is missing. */
    private boolean cacheGradientViews() {
        PtNDArray[] views = new PtNDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            NDArray g = JniUtils.getGradient((PtNDArray) params.get(i)); // null when none (NDArray's gives zeros)
            if (g == null) {
                for (int j = 0; j < i; j++) {
                    views[j].close();
                }
                return false;
            }
            g.attach(own);
            views[i] = (PtNDArray) g.reshape(-1);
            g.close();
        }
        flatGradients = views;
        return true;
    }

    /** The parameters, in order (for the per-parameter path while some gradient is missing). */
    List<NDArray> parameters() {
        return params;
    }

    /** A parameter's gradient, or null when it has none yet (attached to the parameter's manager). */
    static NDArray gradientOrNull(NDArray parameter) {
        return JniUtils.getGradient((PtNDArray) parameter);
    }

    /** Zeroes every existing gradient in place (libtorch accumulates into them). */
    void zeroGradients() {
        for (NDArray p : params) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
