package cambench.harness.data;

import java.util.Objects;

/**
 * Holds the uint8 pixels of {@code count} equally sized images in byte[] chunks of whole images.
 *
 * <p>Image {@code i} occupies {@code imageBytes()} bytes starting at {@code offset(i)} in
 * {@code chunk(i)}; the layout inside an image is the caller's ({@link ImageSet} uses [C,H,W]).
 * Chunks hold at most 1 GiB each, so the total may exceed 2 GiB. Bytes are unsigned: read them
 * with {@code b & 0xFF}. Writes are not synchronised; distinct images may be written from
 * different threads.
 */
public final class PixelStore {
    /** Largest chunk in bytes (1 GiB). */
    public static final int MAX_CHUNK_BYTES = 1 << 30;

    private final int count;
    private final int imageBytes;
    private final int imagesPerChunk;
    private final byte[][] chunks;

    private PixelStore(int count, int imageBytes, int imagesPerChunk, byte[][] chunks) {
        this.count = count;
        this.imageBytes = imageBytes;
        this.imagesPerChunk = imagesPerChunk;
        this.chunks = chunks;
    }

    /** Allocates zeroed storage for {@code count} images of {@code imageBytes} bytes each. */
    public static PixelStore allocate(int count, int imageBytes) {
        return allocate(count, imageBytes, MAX_CHUNK_BYTES);
    }

    /** Allocates with a custom chunk limit; tests use small limits to cover chunk borders. */
    static PixelStore allocate(int count, int imageBytes, int maxChunkBytes) {
        if (count < 0 || imageBytes <= 0 || imageBytes > maxChunkBytes) {
            throw new IllegalArgumentException("count " + count + ", imageBytes " + imageBytes
                    + ", maxChunkBytes " + maxChunkBytes);
        }
        int perChunk = maxChunkBytes / imageBytes;
        int nChunks = count == 0 ? 0 : (count - 1) / perChunk + 1;
        byte[][] chunks = new byte[nChunks][];
        for (int k = 0; k < nChunks; k++) {
            int images = Math.min(perChunk, count - k * perChunk);
            chunks[k] = new byte[images * imageBytes];
        }
        return new PixelStore(count, imageBytes, perChunk, chunks);
    }

    /** Wraps {@code data} (not copied) as {@code data.length / imageBytes} images; must be below 1 GiB. */
    public static PixelStore wrap(byte[] data, int imageBytes) {
        if (imageBytes <= 0 || data.length % imageBytes != 0 || data.length > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("data length " + data.length
                    + " is not a multiple of imageBytes " + imageBytes + " below 1 GiB");
        }
        int count = data.length / imageBytes;
        byte[][] chunks = count == 0 ? new byte[0][] : new byte[][] {data};
        return new PixelStore(count, imageBytes, MAX_CHUNK_BYTES / imageBytes, chunks);
    }

    /** Number of images. */
    public int count() {
        return count;
    }

    /** Bytes per image. */
    public int imageBytes() {
        return imageBytes;
    }

    /** Total bytes over all chunks. */
    public long totalBytes() {
        return (long) count * imageBytes;
    }

    /** The chunk holding image {@code index}, for direct reads starting at {@link #offset}. */
    public byte[] chunk(int index) {
        return chunks[checkIndex(index) / imagesPerChunk];
    }

    /** Offset of image {@code index} inside {@link #chunk}. */
    public int offset(int index) {
        return (checkIndex(index) % imagesPerChunk) * imageBytes;
    }

    /** Copies image {@code index} into {@code dst} at {@code dstOffset}. */
    public void copyImage(int index, byte[] dst, int dstOffset) {
        System.arraycopy(chunk(index), offset(index), dst, dstOffset, imageBytes);
    }

    /** Overwrites image {@code index} with {@code imageBytes()} bytes of {@code src} from {@code srcOffset}. */
    public void setImage(int index, byte[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, chunk(index), offset(index), imageBytes);
    }

    /** Copies the images at {@code indices} (repeats allowed) into a new store, in that order. */
    public PixelStore select(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        PixelStore out = allocate(indices.length, imageBytes);
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(chunk(indices[k]), offset(indices[k]), out.chunk(k), out.offset(k), imageBytes);
        }
        return out;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("image " + index + " of " + count);
        }
        return index;
    }
}
