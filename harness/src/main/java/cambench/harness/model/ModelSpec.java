package cambench.harness.model;

/**
 * What a backbone factory needs to know about the task.
 *
 * @param inputChannels image channels (1 for Fashion-MNIST / glyphs, 3 for RGB)
 * @param inputSize image height = width in pixels (informational; all nets accept any size
 *     large enough for their downsampling)
 * @param classes number of classes K
 * @param dropout dropout rate where the architecture has one (WRN), else ignored
 */
public record ModelSpec(int inputChannels, int inputSize, int classes, double dropout) {
    /** Validates the spec. */
    public ModelSpec {
        if (inputChannels < 1 || inputSize < 1 || classes < 2 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("bad model spec " + inputChannels + "/" + inputSize
                    + "/" + classes + "/" + dropout);
        }
    }
}
