package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A backbone prepared for evaluation on the oneDNN path ({@link Backbone#inferencePlan}): BatchNorm
 * folded into the convolutions, weights prepacked, activations kept in oneDNN's blocked layout. It
 * reads the weights once, when made, so it must be made again after training changes them; the
 * arrays it holds live in the manager it was made with.
 */
@FunctionalInterface
public interface InferencePlan {
    /**
     * The last feature map, as the eager forward pass in evaluation mode gives it (up to float32
     * rounding: folding BN reorders the arithmetic).
     *
     * @param x images [N, Cin, H, W] (dense)
     * @param out where the result and the temporaries go
     * @return the last feature map [N, C, h, w] (dense)
     */
    NDArray features(NDArray x, NDManager out);
}
