package cambench.api;

import java.util.Random;

/**
 * Where a batch-level regularizer is called.
 *
 * @param random the step's own generator, derived from the run seed and the iteration (so a
 *     resumed run draws the same boxes and lambdas)
 * @param progress where training is
 */
public record RegularizerStep(Random random, Progress progress) {
}
