package cambench.harness.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * A backbone, global average pooling and a classifier head, with the parameters of both.
 *
 * <p>Closing the network frees all of its parameters.
 */
public final class Network implements AutoCloseable {
    private final String name;
    private final ParameterStore store;
    private final Backbone backbone;
    private final ClassifierHead head;
    private final int classes;

    /** Assembles a network; the head must be built on {@code backbone.featureChannels()}. */
    public Network(String name, ParameterStore store, Backbone backbone, ClassifierHead head, int classes) {
        this.name = name;
        this.store = store;
        this.backbone = backbone;
        this.head = head;
        this.classes = classes;
    }

    /** Registry name of the architecture, e.g. {@code resnet56}. */
    public String name() {
        return name;
    }

    /** Parameters and buffers. */
    public ParameterStore store() {
        return store;
    }

    /** The feature extractor. */
    public Backbone backbone() {
        return backbone;
    }

    /** The classifier head. */
    public ClassifierHead head() {
        return head;
    }

    /** Number of classes K. */
    public int classes() {
        return classes;
    }

    /** Runs images [N, Cin, H, W] through backbone, pooling and head. */
    public NetworkOutput forward(NDArray x, boolean training) {
        return forward(x, training, Backbone.StageMix.NONE);
    }

    /** Runs the network with {@code mix} at the backbone's stage boundaries ({@link Backbone#forward(NDArray, boolean, Backbone.StageMix)}). */
    public NetworkOutput forward(NDArray x, boolean training, Backbone.StageMix mix) {
        BackboneOutput b = backbone.forward(x, training, mix);
        return output(b.stages(), b.features());
    }

    /**
     * An evaluation-mode pass with the backbone's oneDNN plan ({@link Inference}): the plan's last
     * feature map, then pooling and head as in {@link #forward(NDArray, boolean)}. No stage outputs
     * (the list is empty).
     */
    public NetworkOutput forward(NDArray x, InferencePlan plan) {
        return output(List.of(), plan.features(x, x.getManager()));
    }

    private NetworkOutput output(List<NDArray> stages, NDArray features) {
        NDArray pooled = globalAveragePool(features);
        return new NetworkOutput(stages, features, pooled, head.logits(pooled));
    }

    /** Mean over the spatial axes: [N, C, H, W] to [N, C]. */
    public static NDArray globalAveragePool(NDArray f) {
        ai.djl.ndarray.types.Shape s = f.getShape();
        return f.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    @Override
    public void close() {
        store.close();
    }
}
