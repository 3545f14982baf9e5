package cambench.harness.model;

import ai.djl.ndarray.NDManager;
import cambench.api.UserException;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The architecture registry: name to backbone factory, plus assembly into a {@link Network} with
 * a linear head.
 */
public final class Models {
    private static final Map<String, BackboneFactory> REGISTRY = new TreeMap<>();

    static {
        CifarResNet.register(REGISTRY);
        WideResNet.register(REGISTRY);
        ConvNet.register(REGISTRY);
        ResNet.register(REGISTRY);
        DenseNetBc.register(REGISTRY);
        PyramidNet.register(REGISTRY);
        MobileNetV2.register(REGISTRY);
        ShuffleNetV1.register(REGISTRY);
        Vgg.register(REGISTRY);
    }

    private Models() {
    }

    /** Whether architecture {@code name} uses {@link ModelSpec#dropout()} (Wide ResNets); others ignore it. */
    public static boolean hasDropout(String name) {
        return WideResNet.owns(name);
    }

    /** Every registered architecture name, sorted. */
    public static Set<String> names() {
        return REGISTRY.keySet();
    }

    /**
     * The factory for {@code name}.
     *
     * @throws UserException naming the known architectures when {@code name} is unknown
     */
    public static BackboneFactory factory(String name) {
        BackboneFactory f = REGISTRY.get(name);
        if (f == null) {
            throw new UserException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return f;
    }

    /**
     * Builds a network with a linear head, its parameters initialised from {@code seed}.
     *
     * @param name architecture name, e.g. {@code resnet56}
     * @param spec task shape
     * @param seed initialisation seed
     * @param parent manager under which the network's own manager is created
     */
    public static Network create(String name, ModelSpec spec, long seed, NDManager parent) {
        return create(name, spec, seed, parent, (store, channels) -> new LinearHead(store, channels, spec.classes()));
    }

    /**
     * Builds a network with a head of the caller's choice (e.g. the cosine head of Baseline++).
     *
     * @param head (store, feature channels) to the head, registering its parameters in the store
     * @throws UserException for an unknown name
     */
    public static Network create(String name, ModelSpec spec, long seed, NDManager parent,
            java.util.function.BiFunction<ParameterStore, Integer, ClassifierHead> head) {
        BackboneFactory factory = factory(name);
        ParameterStore store = new ParameterStore(parent.newSubManager(), seed);
        Backbone backbone = factory.create(store, spec);
        return new Network(name, store, backbone, head.apply(store, backbone.featureChannels()), spec.classes());
    }
}
