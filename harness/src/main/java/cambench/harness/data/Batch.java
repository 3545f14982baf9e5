package cambench.harness.data;

/**
 * One batch of a {@link BatchLoader} epoch: normalised images and their labels.
 *
 * <p>{@code x} holds [size,channels,height,width] floats at its start and {@code y} [size]
 * labels; both arrays may be longer (capacity of the loader's batch size; the last batch of an
 * epoch without drop-last is smaller). The arrays are the loader's reusable buffers: a batch is
 * valid only until the next {@code hasNext()}, {@code next()} or {@code close()} on its epoch;
 * copy what must outlive that.
 */
public record Batch(float[] x, int[] y, int size, int channels, int height, int width) {
    /** Floats of one sample, C*H*W. */
    public int sampleFloats() {
        return channels * height * width;
    }
}
