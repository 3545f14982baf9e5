package cambench.harness.run;

import cambench.results.plan.Cell;

/**
 * The arithmetic of training one cell, from first principles: the multiply-accumulates (MACs)
 * of one image's forward pass through the network (counted from its layers,
 * {@link cambench.harness.model.MacCounter}), times the images it sees.
 *
 * <p>{@code FLOPs = 2 x MACs}. A training step costs three forward passes (the backward pass,
 * gradients of inputs and of weights, about twice the forward), plus the fixed teacher's forward
 * for a distillation student; every epoch then evaluates {@code evalImagesPerEpoch} images
 * (forward only), and {@code onceImages} are passed forward once after training (few-shot
 * feature extraction). Training images per epoch are {@code floor(n / batch) * batch} when the
 * last partial batch is dropped (every cell with more images than its batch), else n. Batch norm,
 * activations, the loss and the optimizer are not counted.
 *
 * @param macsPerImage forward MACs of one image through the cell's network
 * @param teacherMacsPerImage forward MACs of one image through its teacher (0 without one)
 * @param trainImagesPerEpoch training images one epoch steps through
 * @param evalImagesPerEpoch images evaluated after every epoch
 * @param onceImages images passed forward once after training
 * @param epochs training epochs
 */
public record TrainingCost(long macsPerImage, long teacherMacsPerImage, long trainImagesPerEpoch,
        long evalImagesPerEpoch, long onceImages, int epochs) {

    /**
     * The cost of {@code cell} on a training set of {@code trainImages}, evaluating
     * {@code evalImagesPerEpoch} after each epoch.
     */
    public static TrainingCost of(Cell cell, long macsPerImage, long teacherMacsPerImage, long trainImages,
            long evalImagesPerEpoch, long onceImages) {
        int batch = cell.recipe().batchSize();
        long perEpoch = trainImages > batch ? trainImages / batch * batch : trainImages;
        return new TrainingCost(macsPerImage, teacherMacsPerImage, perEpoch, evalImagesPerEpoch, onceImages,
                cell.recipe().epochs());
    }

    /** Floating-point operations of one training image: {@code 2 (3 MACs + teacher MACs)}. */
    public double trainFlopsPerImage() {
        return 2.0 * (3.0 * macsPerImage + teacherMacsPerImage);
    }

    /** Floating-point operations of the whole cell: training, per-epoch evaluation, the once-only pass. */
    public double flops() {
        double train = trainFlopsPerImage() * trainImagesPerEpoch * epochs;
        double eval = 2.0 * macsPerImage * ((double) evalImagesPerEpoch * epochs + onceImages);
        return train + eval;
    }

    /** Device hours at a sustained {@code flopsPerSecond}. */
    public double hoursAt(double flopsPerSecond) {
        return flops() / flopsPerSecond / 3600;
    }
}
