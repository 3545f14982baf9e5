package cambench.harness.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * oneDNN inference ops that DJL 0.33 does not bind: tensors in oneDNN's blocked layout, prepacked
 * convolution weights, convolution with bias and fused ReLU, in-place residual add, a whole
 * post-activation basic block in one call, max pooling, and evaluation-mode BatchNorm.
 *
 * <p>They are reached through a tiny TorchScript module (resource {@code onednn_kernel.pt}, written
 * by {@code tools/gen_onednn_kernel.py}; one method that dispatches on an op code). Between layers
 * the activations stay in the blocked layout, so the two reorders around every dense convolution
 * disappear; with BatchNorm folded into the weights (the caller's job) the evaluation pass is
 * about 1.3x faster than the eager one on ResNet-20 (README, Performance).
 *
 * <p>Arrays in the blocked layout are only good for this class's ops and for {@link #toDense}.
 * CPU only. The module runs through DJL's native module call with its training flag set, because
 * DJL's public call wraps every run in a deprecated libtorch guard that prints a warning.
 */
public final class OneDnnKernel {
    /** Op codes of the TorchScript module (keep in step with tools/gen_onednn_kernel.py). */
    private static final long TO_ONEDNN = 0;
    private static final long TO_DENSE = 1;
    private static final long PACK_CONV = 2;
    private static final long CONV = 3;
    private static final long ADD = 4;
    private static final long BASIC_BLOCK = 5;
    private static final long MAX_POOL = 6;
    private static final long BATCH_NORM = 7;
    private static final long[] NONE = new long[0];

    private static Optional<OneDnnKernel> loaded;
    private static String unavailable = "";

    private final PtSymbolBlock module;
    private final long moduleHandle;
    private final Object library;
    private final Method runMethod;
    private final Constructor<IValue> wrap;

    private OneDnnKernel(PtSymbolBlock module, Object library, Method runMethod, Constructor<IValue> wrap) {
        this.module = module;
        this.moduleHandle = module.getHandle();
        this.library = library;
        this.runMethod = runMethod;
        this.wrap = wrap;
    }

    /**
     * The kernel, loaded once per process; empty when this libtorch cannot run it (then
     * {@link #unavailableReason()} says why). Needs the engine started.
     */
    public static synchronized Optional<OneDnnKernel> get() {
        if (loaded == null) {
            try {
                loaded = Optional.of(load());
            } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                unavailable = e.getClass().getSimpleName() + ": " + e.getMessage();
                loaded = Optional.empty();
            }
        }
        return loaded;
    }

    /** Why {@link #get()} is empty ("" when it is not, or before the first call). */
    public static synchronized String unavailableReason() {
        return unavailable;
    }

    private static OneDnnKernel load() throws IOException, ReflectiveOperationException {
        // the module outlives every caller: its manager is never closed
        PtNDManager manager = (PtNDManager) NDManager.newBaseManager(Device.cpu());
        PtSymbolBlock module;
        try (InputStream in = OneDnnKernel.class.getResourceAsStream("onednn_kernel.pt")) {
            if (in == null) {
                throw new IOException("resource onednn_kernel.pt missing from the build");
            }
            module = JniUtils.loadModule(manager, in, false, false);
        }
        Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        Field instance = lib.getDeclaredField("LIB");
        instance.setAccessible(true);
        Method run = lib.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class,
                boolean.class, boolean.class);
        run.setAccessible(true);
        Constructor<IValue> wrap = IValue.class.getDeclaredConstructor(long.class);
        wrap.setAccessible(true);
        OneDnnKernel k = new OneDnnKernel(module, instance.get(null), run, wrap);
        try (NDManager probe = manager.newSubManager()) {
            // fails here, not mid-evaluation, when this libtorch was built without oneDNN
            NDArray x = probe.ones(new ai.djl.ndarray.types.Shape(1, 1, 2, 2));
            k.toDense(probe, k.toOneDnn(probe, x)).toFloatArray();
        }
        return k;
    }

    /** {@code x} [N, C, H, W] (dense) in the blocked layout. */
    public NDArray toOneDnn(NDManager out, NDArray x) {
        return call(out, TO_ONEDNN, NONE, x);
    }

    /** A blocked-layout array back to a dense one. */
    public NDArray toDense(NDManager out, NDArray x) {
        return call(out, TO_DENSE, NONE, x);
    }

    /** A dense weight [out, in/groups, k, k] prepacked for {@link #conv}; a blocked-layout array. */
    public NDArray packConv(NDManager out, NDArray weight, int padding, int stride, int groups) {
        return call(out, PACK_CONV, new long[] {padding, stride, groups}, weight);
    }

    /** Convolution of a blocked-layout {@code x} with a packed weight and a dense bias, then ReLU if asked. */
    public NDArray conv(NDManager out, NDArray x, NDArray packedWeight, NDArray bias, int padding, int stride,
            int groups, boolean relu) {
        return call(out, CONV, new long[] {padding, stride, groups, relu ? 1 : 0}, x, packedWeight, bias);
    }

    /** {@code a += b} in place (both blocked, same shape), then ReLU if asked; returns {@code a}'s result. */
    public NDArray add(NDManager out, NDArray a, NDArray b, boolean relu) {
        return call(out, ADD, new long[] {relu ? 1 : 0}, a, b);
    }

    /**
     * A post-activation basic block in one call: {@code relu(conv2(relu(conv1(x))) + shortcut(x))},
     * 3x3 convolutions with padding 1 (conv1 strided), shortcut the identity or a 1x1 projection.
     *
     * @param convs packed weight and bias of conv1, conv2 and, when there is one, the projection
     */
    public NDArray basicBlock(NDManager out, NDArray x, int stride, NDArray... convs) {
        NDArray[] ts = new NDArray[convs.length + 1];
        ts[0] = x;
        System.arraycopy(convs, 0, ts, 1, convs.length);
        return call(out, BASIC_BLOCK, new long[] {stride}, ts);
    }

    /** Square max pooling (floor mode) of a blocked-layout {@code x}. */
    public NDArray maxPool(NDManager out, NDArray x, int kernel, int stride, int padding) {
        return call(out, MAX_POOL, new long[] {kernel, stride, padding}, x);
    }

    /**
     * Evaluation-mode BatchNorm (eps 1e-5) of a blocked-layout {@code x} with its running statistics,
     * then ReLU if asked (the pre-activation of WRN-style blocks).
     */
    public NDArray batchNorm(NDManager out, NDArray x, NDArray gamma, NDArray beta, NDArray mean, NDArray var,
            boolean relu) {
        return call(out, BATCH_NORM, new long[] {relu ? 1 : 0}, x, gamma, beta, mean, var);
    }

    private NDArray call(NDManager out, long op, long[] ints, NDArray... tensors) {
        PtNDArray[] ts = new PtNDArray[tensors.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = (PtNDArray) tensors[i];
        }
        try (IValue code = IValue.from(op); IValue list = IValue.listFrom(ts); IValue args = IValue.listFrom(ints);
                IValue result = wrap.newInstance((long) runMethod.invoke(library, moduleHandle, "forward",
                        new long[] {code.getHandle(), list.getHandle(), args.getHandle()}, true, false))) {
            return result.toTensor((PtNDManager) out);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("onednn_kernel op " + op + " failed", cause);
        }
    }

    @Override
    public String toString() {
        return "OneDnnKernel[" + module.getHandle() + "]";
    }
}
