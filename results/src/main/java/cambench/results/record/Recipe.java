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
 * @param schedule {@code cosine} (per epoch, to 0), {@code constant}, or
 *     {@code multistep:M1,M2,...[@GAMMA]}: the rate is multiplied by GAMMA (default 0.1) at each
 *     milestone; a milestone is a whole epoch number in [1, epochs) (e.g. {@code multistep:80,120@0.1},
 *     as ISDA's ResNet-110 script) or a fraction of the epochs in (0, 1) written with a decimal point
 *     (e.g. {@code multistep:0.5,0.75}, which scales with the epochs a preset sets)
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
        check(schedule != null && schedule.matches("cosine|constant|multistep:[0-9.]+(,[0-9.]+)*(@[0-9.eE-]+)?"),
                "schedule must be cosine, constant or multistep:M1,M2[@GAMMA] (epochs or fractions of the epochs),"
                        + " got " + schedule);
        if (schedule.startsWith("multistep:")) {
            milestones(schedule, epochs);
            double gamma = gamma(schedule);
            check(gamma > 0 && gamma < 1, "schedule " + schedule + ": the decay factor must be in (0, 1), got " + gamma);
        }
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
        double gamma = gamma(schedule);
        for (int milestone : milestones(schedule, epochs)) {
            if (epoch >= milestone) {
                rate *= gamma;
            }
        }
        return rate;
    }

    /**
     * The 0-based epochs at which a {@code multistep} schedule decays: whole numbers as given,
     * fractions times {@code epochs}, rounded.
     *
     * @throws UserException for a milestone outside [1, epochs) or (0, 1), or out of order
     */
    static int[] milestones(String schedule, int epochs) {
        String list = schedule.substring("multistep:".length()).split("@")[0];
        String[] parts = list.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String m = parts[i];
            double v;
            try {
                v = Double.parseDouble(m);
            } catch (NumberFormatException e) {
                throw new UserException("recipe: schedule " + schedule + ": '" + m + "' is not a number");
            }
            if (m.contains(".")) {
                check(v > 0 && v < 1, "schedule " + schedule + ": a fraction of the epochs must be in (0, 1), got " + m
                        + " (write whole epochs without a decimal point)");
                out[i] = (int) Math.round(v * epochs);
            } else {
                check(v >= 1 && v < epochs, "schedule " + schedule + ": milestone epoch " + m + " is outside 1.."
                        + (epochs - 1) + " for " + epochs + " epochs (a preset that changes the epochs needs"
                        + " fractions, e.g. multistep:0.5,0.75)");
                out[i] = (int) v;
            }
            check(i == 0 || out[i] >= out[i - 1], "schedule " + schedule + ": milestones must not decrease");
        }
        return out;
    }

    private static double gamma(String schedule) {
        int at = schedule.indexOf('@');
        if (at < 0) {
            return 0.1;
        }
        try {
            return Double.parseDouble(schedule.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new UserException("recipe: schedule " + schedule + ": the decay factor after @ is not a number");
        }
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
