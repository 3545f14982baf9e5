package cambench.api;

import ai.djl.ndarray.NDManager;

/**
 * What an objective may need when it is created.
 *
 * <p>{@code manager} belongs to this objective alone (a sub-manager of the network's, on its
 * device; {@link Objectives#create} makes it and {@link ObjectiveInstance#close()} frees it when
 * the run ends). Arrays created from it in {@link ObjectiveProvider.Factory#create} live for the
 * whole run. During training, arrays that ops on these arrays leave in it are freed after every
 * step, except the ones {@link Objective#state()} lists (see {@link Objective} for the rules).
 *
 * @param params its resolved parameters
 * @param classes number of classes K
 * @param featureChannels channels C of the feature map (e.g. for center-loss centres)
 * @param manager the objective's own manager for long-lived arrays (state, constants)
 */
public record ObjectiveContext(Params params, int classes, int featureChannels, NDManager manager) {
}
