package cambench.results.record;

import cambench.api.UserException;

/**
 * The optimisation recipe of a training run; every number here moves a result and is written
 * into the run record.
 *
 * @param epochs training epochs (>= 1)
 * @param batchSize minibatch size (>= 1)
 * @param lr initial learning rate (> 0)
 * @param momentum SGD momentum in [0, 1)
 * @param nesterov Nesterov momentum
 * @param weightDecay L2 weight decay (>= 0), applied to every parameter as in PyTorch's SGD
 * @param schedule {@code cosine} (per epoch, to 0) or {@code multistep:F1,F2,...} (lr x 0.1 at
 *     each fraction of the epochs) or {@code constant}
 * @param augment training augmentation spec, e.g. {@code crop32:4,flip}
 * @param optimizer {@code sgd} (momentum, nesterov, weight decay) or {@code adam} (betas 0.9,
 *     0.999, eps 1e-8, L2 weight decay as PyTorch's Adam; momentum and nesterov unused); absent
 *     in JSON means {@code sgd}
 */
public record Recipe(int epochs, int batchSize, double lr, double momentum, boolean nesterov,
        double weightDecay, String schedule, String augment, String optimizer) {

    /** The SGD recipe most tables use. */
    public Recipe(int epochs, int batchSize, double lr, double momentum, boolean nesterov, double weightDecay,
            String schedule, String augment) {
        this(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, augment, "sgd");
    }

    /** Validates every field; a bad value is a user mistake naming the field. */
    public Recipe {
        optimizer = optimizer == null ? "sgd" : optimizer;
        check(optimizer.equals("sgd") || optimizer.equals("adam"), "optimizer must be sgd or adam, got " + optimizer);
        check(epochs >= 1, "epochs must be >= 1, got " + epochs);
        check(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
        check(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        check(weightDecay >= 0, "weight_decay must be >= 0, got " + weightDecay);
        check(schedule != null && schedule.matches("cosine|constant|multistep:[0-9.]+(,[0-9.]+)*"),
                "schedule must be cosine, constant or multistep:F1,F2 (fractions of the epochs), got " + schedule);
        check(augment != null && !augment.isBlank(), "augment must name a pipeline (or none)");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserException("recipe: " + message);
        }
    }

    /** The learning rate of a 0-based epoch. */
    public double lrAt(int epoch) {
        if (schedule.equals("constant")) {
            return lr;
        }
        if (schedule.equals("cosine")) {
            return 0.5 * lr * (1 + Math.cos(Math.PI * epoch / epochs));
        }
        double rate = lr;
        for (String f : schedule.substring("multistep:".length()).split(",")) {
            if (epoch >= Math.round(Double.parseDouble(f) * epochs)) {
                rate *= 0.1;
            }
        }
        return rate;
    }

    /** One line for table headers, e.g. {@code 160 epochs, batch 128, sgd lr 0.1 cosine, ...}. */
    public String describe() {
        String opt = optimizer.equals("sgd")
                ? "SGD momentum " + momentum + (nesterov ? " (Nesterov)" : "") : "Adam";
        return epochs + " epochs, batch " + batchSize + ", " + opt + ", lr " + lr + " " + schedule + ", weight decay "
                + weightDecay + ", augment " + augment;
    }

    /** The same recipe with another epoch count. */
    public Recipe withEpochs(int newEpochs) {
        return new Recipe(newEpochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, augment, optimizer);
    }
}
