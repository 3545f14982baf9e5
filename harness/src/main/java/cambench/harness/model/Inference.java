package cambench.harness.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.EngineSetup;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/**
 * Evaluation-mode passes of one network with its current weights: the backbone's oneDNN plan
 * ({@link Backbone#inferencePlan}) when it has one, the eager forward pass otherwise. Open one per
 * evaluation (after training changed the weights), close it afterwards.
 *
 * <p>The fused path runs only on the CPU, with {@code --inference fused} (the default), when the
 * kernel loads ({@link OneDnnKernel#get()}) and the backbone has a plan (CIFAR ResNets without a
 * residual gate). Its logits equal the eager ones up to float32 rounding (folding BatchNorm into
 * the convolutions reorders the arithmetic; InferenceTest bounds the difference). Run records say
 * which path ran ({@link #path()}).
 */
public final class Inference implements AutoCloseable {
    /** {@link #path()} of the oneDNN plan. */
    public static final String FUSED = "onednn_fused";
    /** {@link #path()} of the eager forward pass. */
    public static final String EAGER = "eager";

    private final Network network;
    private final NDManager weights;
    private final InferencePlan plan;

    private Inference(Network network, NDManager weights, InferencePlan plan) {
        this.network = network;
        this.weights = weights;
        this.plan = plan;
    }

    /**
     * Prepares evaluation of {@code network}: folds and packs its weights when the fused path applies.
     *
     * @param network the network, whose current weights are read now
     * @param parent the manager under which the prepared weights live until {@link #close()}
     */
    public static Inference open(Network network, NDManager parent) {
        Device device = network.store().manager().getDevice();
        if (!EngineSetup.fusedInference() || !Device.Type.CPU.equals(device.getDeviceType())) {
            return new Inference(network, null, null);
        }
        Optional<OneDnnKernel> kernel = OneDnnKernel.get();
        if (kernel.isEmpty()) {
            return new Inference(network, null, null);
        }
        NDManager weights = parent.newSubManager();
        Optional<InferencePlan> plan = network.backbone().inferencePlan(kernel.get(), weights);
        if (plan.isEmpty()) {
            weights.close();
            return new Inference(network, null, null);
        }
        return new Inference(network, weights, plan.get());
    }

    /**
     * One evaluation-mode pass; the outputs live in {@code x}'s manager. On the fused path the
     * output has no stage outputs.
     */
    public NetworkOutput forward(NDArray x) {
        return plan == null ? network.forward(x, false) : network.forward(x, plan);
    }

    /** {@link #FUSED} or {@link #EAGER}: the path {@link #forward} takes. */
    public String path() {
        return plan == null ? EAGER : FUSED;
    }

    /** Frees the prepared weights. */
    @Override
    public void close() {
        if (weights != null) {
            weights.close();
        }
    }
}
