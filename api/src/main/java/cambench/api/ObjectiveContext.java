package cambench.api;

import ai.djl.ndarray.NDManager;

/**
 * What an objective may need when it is created.
 *
 * @param params its resolved parameters
 * @param classes number of classes K
 * @param featureChannels channels C of the feature map (e.g. for center-loss centres)
 * @param manager manager for long-lived state arrays (closed with the run)
 */
public record ObjectiveContext(Params params, int classes, int featureChannels, NDManager manager) {
}
