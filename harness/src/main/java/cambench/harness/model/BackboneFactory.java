package cambench.harness.model;

/** Builds one architecture's backbone into a parameter store. */
@FunctionalInterface
public interface BackboneFactory {
    /** Creates the backbone, registering its parameters in {@code store}. */
    Backbone create(ParameterStore store, ModelSpec spec);
}
