package cambench.harness.fewshot;

/**
 * How a new head is trained on an episode's support set (frozen features).
 *
 * <p>PyTorch SGD semantics: {@code d = grad + weightDecay * p}; the momentum buffer is
 * {@code d} on the first step and {@code momentum * buf + (1 - dampening) * d} after it;
 * {@code p -= lr * buf}. Each epoch visits the support set in a fresh random order in
 * minibatches of {@code batchSize} (the last one may be smaller); the loss is the mean softmax
 * cross-entropy over the minibatch.
 *
 * @param epochs passes over the support set
 * @param batchSize support images per step
 * @param lr learning rate
 * @param momentum SGD momentum
 * @param dampening SGD dampening
 * @param weightDecay L2 weight decay on every head parameter
 */
public record FineTuneRecipe(int epochs, int batchSize, double lr, double momentum, double dampening,
        double weightDecay) {

    /** CloserLookFewShot's test-time recipe (methods/baselinefinetune.py). */
    public static final FineTuneRecipe CLOSER_LOOK = new FineTuneRecipe(100, 4, 0.01, 0.9, 0.9, 1e-3);

    /** Checks the values. */
    public FineTuneRecipe {
        if (epochs < 1 || batchSize < 1 || !(lr > 0) || momentum < 0 || momentum >= 1 || dampening < 0
                || dampening > 1 || weightDecay < 0) {
            throw new IllegalArgumentException("bad fine-tune recipe " + epochs + "/" + batchSize + "/" + lr + "/"
                    + momentum + "/" + dampening + "/" + weightDecay);
        }
    }
}
