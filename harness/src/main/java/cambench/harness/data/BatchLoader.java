package cambench.harness.data;

import cambench.api.UserException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Iterates epochs of an {@link ImageSet} as augmented float batches [B,C,outH,outW] prepared by a
 * background thread.
 *
 * <p>Epoch e visits the images in a permutation drawn from (seed, e) when shuffling, else in
 * index order (evaluation); the sample at position p of epoch e is augmented with seed
 * {@link Augmentation#sampleSeed}(seed, e, p), so batches depend only on (data, spec, seed, e,
 * batch size, drop-last), never on timing. The last partial batch is dropped with drop-last
 * (an epoch of fewer than B images then has no batch), else it is returned with a smaller size.
 * A prefetch thread fills a ring of prefetch + 2 reusable buffers; see {@link Batch} for how long a
 * batch stays valid. Use one epoch at a time from one consumer thread:
 * <pre>{@code
 * try (BatchLoader.Epoch it = loader.epoch(e)) {
 *     while (it.hasNext()) { Batch b = it.next(); ... }
 * }
 * }</pre>
 *
 * <p>A streamed {@link ImageSet} is decoded from its files as batches are prepared: the producer
 * hands every sample of up to prefetch + 2 batches to a pool of {@code threads} decoder threads,
 * each decodes its file and applies {@link Augmentation#applyFull} into its slot of the batch, and
 * batches are returned in order once complete. Resident memory is then the ring of batches plus
 * one decoded image per thread, whatever the data set's size; the output is the same for every
 * thread count. An image skipped as unreadable ({@link ImageFiles.BadImages#SKIP}) leaves its
 * batch one sample smaller.
 */
public final class BatchLoader {
    private static final long SHUFFLE_DOMAIN = 0x5348_5546_464C_4531L;

    private final ImageSet data;
    private final int batchSize;
    private final Augmentation augmentation;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final int threads;
    private final int[] shape;

    private BatchLoader(Builder b) {
        data = b.data;
        batchSize = b.batchSize;
        augmentation = b.augmentation;
        shuffle = b.shuffle;
        seed = b.seed;
        dropLast = b.dropLast;
        prefetch = b.prefetch;
        threads = b.threads;
        shape = data.isStreamed() ? augmentation.fullOutputShape(data.channels(), data.height(), data.width())
                : augmentation.outputShape(data.channels(), data.height(), data.width());
    }

    /** A builder; {@code setData} and {@code setBatchSize} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Batches per epoch: floor(N/B) with drop-last, else ceil(N/B). */
    public int batchesPerEpoch() {
        return dropLast ? data.count() / batchSize : (data.count() + batchSize - 1) / batchSize;
    }

    /** The distinct sizes of an epoch's batches: the batch size when a batch is full, the last one's when it is smaller (kept). */
    public java.util.List<Integer> batchSizes() {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        if (data.count() >= batchSize) {
            sizes.add(batchSize);
        }
        if (!dropLast && data.count() % batchSize != 0) {
            sizes.add(data.count() % batchSize);
        }
        return sizes;
    }

    /** Shape of one output sample, [C, outH, outW]. */
    public int[] sampleShape() {
        return shape.clone();
    }

    /** The data set iterated. */
    public ImageSet data() {
        return data;
    }

    /** The image order of epoch {@code epoch}: a seeded permutation of 0..N-1, or 0..N-1. */
    public int[] order(int epoch) {
        int n = data.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Seeds.shuffle(order, new SplittableRandom(Seeds.mix(seed ^ SHUFFLE_DOMAIN, epoch, 0)));
        }
        return order;
    }

    /** Starts epoch {@code epoch}'s prefetch thread; close the returned iterator to stop it early. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch);
    }

    /**
     * Measures throughput of a shuffled loader with {@code augmentation} over {@code set}: images
     * per second consumed during {@code batches} batches of {@code batchSize} (after one warm-up
     * epoch-start of 20 batches); the consumer does no work, so this is the producer's rate.
     */
    public static double measureImagesPerSecond(ImageSet set, Augmentation augmentation, int batchSize, int batches) {
        BatchLoader loader = builder().setData(set).setBatchSize(batchSize).optAugmentation(augmentation)
                .optDropLast(true).build();
        if (loader.batchesPerEpoch() == 0) {
            throw new IllegalArgumentException(set + " has fewer images than one batch of " + batchSize);
        }
        consume(loader, 20);
        long t0 = System.nanoTime();
        long images = consume(loader, batches);
        return images / ((System.nanoTime() - t0) / 1e9);
    }

    private static long consume(BatchLoader loader, int batches) {
        long images = 0;
        for (int e = 0, done = 0; done < batches; e++) {
            try (Epoch it = loader.epoch(e)) {
                while (done < batches && it.hasNext()) {
                    images += it.next().size();
                    done++;
                }
            }
        }
        return images;
    }

    /** Reusable buffers of one batch. */
    private static final class Slot {
        final float[] x;
        final int[] y;
        final int[] indices;
        final long[] seeds;
        final boolean[] ok;
        final Throwable[] errors;
        Batch batch;
        CountDownLatch decoded;
        int size;

        Slot(int batchSize, int sampleFloats) {
            x = new float[batchSize * sampleFloats];
            y = new int[batchSize];
            indices = new int[batchSize];
            seeds = new long[batchSize];
            ok = new boolean[batchSize];
            errors = new Throwable[batchSize];
        }
    }

    /**
     * The batches of one epoch, produced ahead by a daemon thread.
     *
     * <p>{@code hasNext()} blocks until the next batch is ready and rethrows a producer failure
     * (a {@code UserException} as is). Not thread-safe; {@code close()} is idempotent.
     */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private static final Slot END = new Slot(0, 0);

        private final int epoch;
        private final BlockingQueue<Slot> free;
        private final BlockingQueue<Slot> full;
        private final Thread producer;
        private final ExecutorService decoders;
        private volatile Throwable failure;
        private Slot current;
        private Slot pending;
        private boolean done;

        private Epoch(int epoch) {
            this.epoch = epoch;
            int slots = prefetch + 2;
            free = new ArrayBlockingQueue<>(slots);
            full = new ArrayBlockingQueue<>(slots + 1);
            for (int i = 0; i < slots; i++) {
                free.add(new Slot(batchSize, shape[0] * shape[1] * shape[2]));
            }
            decoders = data.isStreamed() ? Executors.newFixedThreadPool(threads, decoderThreads(data.name())) : null;
            producer = new Thread(data.isStreamed() ? this::produceStreamed : this::produce,
                    "cambench-prefetch-" + data.name() + "-e" + epoch);
            producer.setDaemon(true);
            producer.start();
        }

        private void produce() {
            try {
                int[] order = order(epoch);
                int batches = batchesPerEpoch();
                for (int b = 0; b < batches; b++) {
                    Slot s = free.take();
                    int start = b * batchSize;
                    int size = Math.min(batchSize, order.length - start);
                    for (int k = 0; k < size; k++) {
                        s.indices[k] = order[start + k];
                        s.seeds[k] = Augmentation.sampleSeed(seed, epoch, start + k);
                        s.y[k] = data.label(s.indices[k]);
                    }
                    augmentation.apply(data, s.indices, s.seeds, size, s.x);
                    s.batch = new Batch(s.x, s.y, size, shape[0], shape[1], shape[2]);
                    full.put(s);
                }
                full.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failure = e;
                full.offer(END);
            }
        }

        /** Queues each batch's samples on the decoder pool; batches go to the consumer in order. */
        private void produceStreamed() {
            try {
                int[] order = order(epoch);
                int batches = batchesPerEpoch();
                int sample = shape[0] * shape[1] * shape[2];
                ImageFiles files = data.files();
                for (int b = 0; b < batches; b++) {
                    Slot s = free.take();
                    int start = b * batchSize;
                    int size = Math.min(batchSize, order.length - start);
                    s.size = size;
                    s.decoded = new CountDownLatch(size);
                    for (int k = 0; k < size; k++) {
                        s.indices[k] = order[start + k];
                        s.seeds[k] = Augmentation.sampleSeed(seed, epoch, start + k);
                        s.y[k] = data.label(s.indices[k]);
                        s.ok[k] = false;
                        s.errors[k] = null;
                    }
                    for (int k = 0; k < size; k++) {
                        int kk = k;
                        decoders.execute(() -> {
                            try {
                                s.ok[kk] = decodeInto(files, s, kk, sample);
                            } catch (RuntimeException | Error e) {
                                s.errors[kk] = e;
                            } finally {
                                s.decoded.countDown();
                            }
                        });
                    }
                    full.put(s);
                }
                decoders.shutdown();
                full.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failure = e;
                full.offer(END);
            }
        }

        private boolean decodeInto(ImageFiles files, Slot s, int k, int sample) {
            int i = s.indices[k];
            ImageFolderReader.Decoded img = files.decode(i, data.channels());
            if (img == null) {
                return false;
            }
            if (!augmentation.applyFull(img.pixels(), 0, data.channels(), img.height(), img.width(), s.seeds[k], s.x,
                    k * sample, shape[1], shape[2])) {
                throw new UserException(files.path(i) + ": augmentation '" + augmentation.spec() + "' gives another"
                        + " size than " + shape[1] + "x" + shape[2] + " on this " + img.width() + "x" + img.height()
                        + " image; end the spec with a fixed-size op (rrc, center, crop, resize)");
            }
            return true;
        }

        /** Waits for a streamed batch's samples and packs the decoded ones to the front; false if none. */
        private boolean complete(Slot s) throws InterruptedException {
            s.decoded.await();
            for (int k = 0; k < s.size && failure == null; k++) {
                failure = s.errors[k];
            }
            if (failure != null) {
                done = true;
                rethrowFailure();
            }
            int sample = shape[0] * shape[1] * shape[2];
            int n = 0;
            for (int k = 0; k < s.size; k++) {
                if (s.ok[k]) {
                    if (n != k) {
                        System.arraycopy(s.x, k * sample, s.x, n * sample, sample);
                        s.y[n] = s.y[k];
                        s.indices[n] = s.indices[k];
                    }
                    n++;
                }
            }
            s.batch = new Batch(s.x, s.y, n, shape[0], shape[1], shape[2]);
            return n > 0;
        }

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            if (done) {
                return false;
            }
            release();
            try {
                Slot s = full.take();
                while (s != END && s.decoded != null && !complete(s)) {
                    free.add(s);
                    s = full.take();
                }
                if (s == END) {
                    done = true;
                    rethrowFailure();
                    return false;
                }
                pending = s;
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            }
            current = pending;
            pending = null;
            return current.batch;
        }

        /** Stops the producer and waits for it; batches handed out become invalid. */
        @Override
        public void close() {
            done = true;
            producer.interrupt();
            if (decoders != null) {
                decoders.shutdownNow();
            }
            try {
                producer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void release() {
            if (current != null) {
                free.add(current);
                current = null;
            }
        }

        private void rethrowFailure() {
            Throwable t = failure;
            if (t instanceof UserException u) {
                throw u;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException("batch preparation failed: " + t, t);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory decoderThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "cambench-decode-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds a {@link BatchLoader}; {@code build()} validates. */
    public static final class Builder {
        private ImageSet data;
        private int batchSize;
        private Augmentation augmentation = Augmentation.parse("none");
        private boolean shuffle = true;
        private long seed;
        private boolean dropLast;
        private int prefetch = 2;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** Decoder threads for a streamed set, 1..256 (default: the available processors); ignored in memory. */
        public Builder optThreads(int n) {
            this.threads = n;
            return this;
        }

        /** The data set (required). */
        public Builder setData(ImageSet set) {
            this.data = set;
            return this;
        }

        /** Batch size B >= 1 (required). */
        public Builder setBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /** Augmentation and normalisation; default {@code none} with identity normalisation. */
        public Builder optAugmentation(Augmentation aug) {
            this.augmentation = aug;
            return this;
        }

        /** Shuffle each epoch (default true); false gives index order, for evaluation. */
        public Builder optShuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /** Seed of the shuffles and the augmentation (default 0). */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Drop the last partial batch (default false). */
        public Builder optDropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /** Batches prepared ahead, 1..16 (default 2). */
        public Builder optPrefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @throws IllegalArgumentException if data is missing, the batch size is below 1 or prefetch outside 1..16
         * @throws UserException if the augmentation cannot apply to the images' size
         */
        public BatchLoader build() {
            if (data == null || augmentation == null) {
                throw new IllegalArgumentException("BatchLoader needs setData(...) and an augmentation");
            }
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("decoder threads " + threads + " must be in 1..256");
            }
            if (batchSize < 1 || prefetch < 1 || prefetch > 16) {
                throw new IllegalArgumentException("batch size " + batchSize + " must be >= 1, prefetch "
                        + prefetch + " in 1..16");
            }
            return new BatchLoader(this);
        }
    }
}
