package cambench.harness.datasets;

import cambench.harness.data.CifarReader;
import cambench.harness.data.CubReader;
import cambench.harness.data.ImageFiles;
import cambench.harness.data.StanfordDogsReader;
import cambench.harness.data.GlyphSet;
import cambench.harness.data.IdxReader;
import cambench.harness.data.ImageFolderReader;
import cambench.harness.data.ImageSet;
import cambench.api.UserException;
import cambench.harness.run.Provenance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves data set specs to loaded train/test splits, decoding each spec once per process.
 *
 * <p>Names: {@code fashion-mnist} (IDX files in {@code DATA_ROOT/fashion-mnist} or Debian's
 * {@code /usr/share/datasets/fashion-mnist}), {@code cifar10} / {@code cifar100} (binary
 * versions under {@code DATA_ROOT}), {@code glyphs} (rendered from the installed DejaVu fonts).
 * Options {@code train=N} / {@code test=N} keep the first N images of a split (whole-set
 * loaders) or set images per class (glyphs).
 *
 * <p>Photo sets: {@code imagefolder:root=DIR} and {@code imagenet} (ImageFolder trees
 * {@code train/} and {@code val/}; options {@code size=256}, {@code crop=224}), {@code cub}
 * ({@code DATA_ROOT/CUB_200_2011}, official train/test split) and {@code stanford-dogs}
 * ({@code DATA_ROOT/stanford-dogs} with {@code Images/}, {@code train_list.txt},
 * {@code test_list.txt}; see {@link StanfordDogsReader}), both with {@code size=600},
 * {@code crop=448}. Each also takes {@code stream=auto|on|off} and {@code bad-images=fail|skip};
 * CUB and Dogs stream by default (the paper's resize to 600x600 needs the full image), the
 * folders stream when N x 3 x size^2 bytes exceed 256 MiB ({@code auto}, see
 * {@link ImageFolderReader.LoadOptions}). A streamed set is augmented from the full images: its test
 * transform is {@code short<size>,center<crop>} (ImageFolder, ImageNet) or
 * {@code resize<size>,center<crop>} (CUB, Dogs); train with e.g. {@code rrc224,flip} or the
 * paper's fine-grained {@code resize600,crop448,flip}. An in-memory set is decoded once at a
 * center square of side {@code size} and tested with {@code center<crop>}.
 */
public final class DatasetCatalog {
    private static final Map<String, DataSplit> CACHE = new ConcurrentHashMap<>();

    /** Options every photo set takes. */
    static final Set<String> PHOTO_KEYS = Set.of("size", "crop", "train", "test", "stream", "bad-images");

    private final Path dataRoot;
    private final ImageFiles.BadImages defaultBadImages;

    /** A catalog reading real data sets below {@code dataRoot} (may be null). */
    public DatasetCatalog(Path dataRoot) {
        this(dataRoot, ImageFiles.BadImages.FAIL);
    }

    /** A catalog whose photo sets treat unreadable images as {@code bad} unless a spec says otherwise. */
    public DatasetCatalog(Path dataRoot, ImageFiles.BadImages bad) {
        this.dataRoot = dataRoot;
        this.defaultBadImages = bad;
    }

    /** The folder real data sets are read from, or null. */
    public Path dataRoot() {
        return dataRoot;
    }

    /**
     * Loads (or returns the cached) split for {@code spec}.
     *
     * @throws UserException for an unknown name, a bad option or missing files
     */
    public DataSplit load(String spec) {
        DataSplit cached = CACHE.get(cacheKey(spec));
        if (cached != null) {
            return cached;
        }
        DataSplit loaded = loadUncached(DatasetSpec.parse(spec));
        CACHE.put(cacheKey(spec), loaded);
        return loaded;
    }

    private String cacheKey(String spec) {
        return dataRoot + "|" + defaultBadImages + "|" + spec;
    }

    private DataSplit loadUncached(DatasetSpec spec) {
        switch (spec.name()) {
            case "glyphs":
                return glyphs(spec);
            case "fashion-mnist":
                spec.allowOnly(Set.of("train", "test"));
                Path fm = find("fashion-mnist", IdxReader.FASHION_MNIST_DIR,
                        "install it with `apt-get install dataset-fashion-mnist` or put the IDX files in"
                                + " DATA_ROOT/fashion-mnist");
                return limited(spec, IdxReader.fashionMnist(fm, "train"), IdxReader.fashionMnist(fm, "test"), fm);
            case "cifar10":
                spec.allowOnly(Set.of("train", "test"));
                Path c10 = find("cifar-10-batches-bin", null,
                        "extract cifar-10-binary.tar.gz under --data-root (folder cifar-10-batches-bin)");
                return limited(spec, CifarReader.cifar10(c10, "train"), CifarReader.cifar10(c10, "test"), c10);
            case "cifar100":
                spec.allowOnly(Set.of("train", "test"));
                Path c100 = find("cifar-100-binary", null,
                        "extract cifar-100-binary.tar.gz under --data-root (folder cifar-100-binary)");
                return limited(spec, CifarReader.cifar100(c100, "train"), CifarReader.cifar100(c100, "test"), c100);
            case "imagenet":
                spec.allowOnly(PHOTO_KEYS);
                return imageFolders(spec, find("imagenet", null,
                        "expected DATA_ROOT/imagenet/train and DATA_ROOT/imagenet/val class folders (ImageFolder)"));
            case "cub":
                spec.allowOnly(PHOTO_KEYS);
                return fineGrained(spec, find("CUB_200_2011", null, "extract CUB_200_2011.tgz under --data-root"), true);
            case "stanford-dogs":
                spec.allowOnly(PHOTO_KEYS);
                return fineGrained(spec, find("stanford-dogs", null, "extract images.tar (Images/) into"
                        + " DATA_ROOT/stanford-dogs with train_list.txt and test_list.txt (see StanfordDogsReader)"),
                        false);
            case "imagefolder":
                Set<String> keys = new java.util.HashSet<>(PHOTO_KEYS);
                keys.add("root");
                spec.allowOnly(keys);
                if (!spec.options().containsKey("root")) {
                    throw new UserException("data set 'imagefolder': option root=PATH (with train/ and val/) is required");
                }
                return imageFolders(spec, Path.of(spec.options().get("root")));
            default:
                throw new UserException("unknown data set '" + spec.name()
                        + "'; known: glyphs, fashion-mnist, cifar10, cifar100, imagenet, imagefolder, cub, stanford-dogs");
        }
    }

    private Path find(String folder, Path fallback, String hint) {
        if (dataRoot != null && Files.isDirectory(dataRoot.resolve(folder))) {
            return dataRoot.resolve(folder);
        }
        if (fallback != null && Files.isDirectory(fallback)) {
            return fallback;
        }
        throw new UserException("data set folder '" + folder + "' not found under --data-root "
                + (dataRoot == null ? "(not set)" : dataRoot) + "; " + hint);
    }

    private static DataSplit limited(DatasetSpec spec, ImageSet train, ImageSet test, Path source) {
        ImageSet tr = first(train, spec.integer("train", train.count(), 1));
        ImageSet te = first(test, spec.integer("test", test.count(), 1));
        return new DataSplit(tr, te, "none", describe(spec, tr, te, source.toString()));
    }

    /**
     * ImageFolder trees {@code root/train} and {@code root/val}, decoded once at {@code size}
     * (shorter side, center square; default 256); tested with a center {@code crop} (default 224).
     * Everything is held in memory: fine for CUB/Dogs/mini-ImageNet scale, not for full ImageNet.
     */
    private DataSplit imageFolders(DatasetSpec spec, Path root) {
        int size = spec.integer("size", 256, 8);
        int crop = spec.integer("crop", Math.min(224, size), 8);
        if (crop > size) {
            throw new UserException("data set '" + spec.name() + "': crop " + crop + " exceeds size " + size);
        }
        ImageFolderReader.LoadOptions options = loadOptions(spec);
        ImageSet train = ImageFolderReader.readTree(root.resolve("train"), size, spec.name() + "-train", options);
        ImageSet test = ImageFolderReader.readTree(root.resolve("val"), size, spec.name() + "-val", options);
        if (!train.classes().equals(test.classes())) {
            throw new UserException(root + ": train/ and val/ have different class folders");
        }
        DataSplit all = limited(spec, train, test, root);
        String testAugment = test.isStreamed() ? "short" + size + ",center" + crop
                : crop == size ? "none" : "center" + crop;
        return new DataSplit(all.train(), all.test(), testAugment, all.description());
    }

    /** CUB-200-2011 or Stanford Dogs, official train/test split; streamed: resize to size^2, center crop. */
    private DataSplit fineGrained(DatasetSpec spec, Path root, boolean cub) {
        int size = spec.integer("size", 600, 8);
        int crop = spec.integer("crop", Math.min(448, size), 8);
        if (crop > size) {
            throw new UserException("data set '" + spec.name() + "': crop " + crop + " exceeds size " + size);
        }
        ImageFolderReader.LoadOptions options = loadOptions(spec, "on");
        ImageSet train = cub ? CubReader.read(root, "train", size, options)
                : StanfordDogsReader.read(root, "train", size, options);
        ImageSet test = cub ? CubReader.read(root, "test", size, options)
                : StanfordDogsReader.read(root, "test", size, options);
        DataSplit all = limited(spec, train, test, root);
        String testAugment = test.isStreamed() ? "resize" + size + ",center" + crop
                : crop == size ? "none" : "center" + crop;
        Map<String, String> d = new LinkedHashMap<>(all.description());
        d.put("paper_train_augment", test.isStreamed() ? "resize" + size + ",crop" + crop + ",flip"
                : "crop" + crop + ",flip");
        return new DataSplit(all.train(), all.test(), testAugment, d);
    }

    /** stream= and bad-images= of a photo spec. */
    ImageFolderReader.LoadOptions loadOptions(DatasetSpec spec) {
        return loadOptions(spec, "auto");
    }

    private ImageFolderReader.LoadOptions loadOptions(DatasetSpec spec, String defaultStreaming) {
        String where = "data set '" + spec.name() + "'";
        ImageFolderReader.LoadOptions.Streaming streaming = ImageFolderReader.LoadOptions.Streaming.parse(
                spec.options().getOrDefault("stream", defaultStreaming), where);
        String bad = spec.options().get("bad-images");
        return new ImageFolderReader.LoadOptions(streaming, ImageFolderReader.LoadOptions.DEFAULT_THRESHOLD,
                bad == null ? defaultBadImages : ImageFiles.BadImages.parse(bad, where));
    }

    private static ImageSet first(ImageSet set, int n) {
        if (n >= set.count()) {
            return set;
        }
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return set.subset(idx);
    }

    private static DataSplit glyphs(DatasetSpec spec) {
        spec.allowOnly(Set.of("classes", "train", "test", "size", "channels", "seed", "offset"));
        int classes = spec.integer("classes", 100, 2);
        int train = spec.integer("train", 50, 1);
        int test = spec.integer("test", 20, 1);
        int size = spec.integer("size", 32, 8);
        int channels = spec.integer("channels", 1, 1);
        int offset = spec.integer("offset", 0, 0);
        long seed = spec.integer("seed", 7, 0);
        checkGlyphs("glyphs", "offset + classes", offset + classes, channels);
        ImageSet all = GlyphSet.render(classes, train + test, size, channels, seed, offset);
        int per = train + test;
        int[] tr = new int[classes * train];
        int[] te = new int[classes * test];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < train; i++) {
                tr[c * train + i] = c * per + i;
            }
            for (int i = 0; i < test; i++) {
                te[c * test + i] = c * per + train + i;
            }
        }
        ImageSet trainSet = all.subset(tr);
        ImageSet testSet = all.subset(te);
        return new DataSplit(trainSet, testSet, "none", describe(spec, trainSet, testSet, "rendered DejaVu glyphs"));
    }

    /**
     * Checks the glyph options of data set {@code dataset}: {@code channels} 1 or 3, and the last
     * glyph class asked for ({@code count}, the sum that {@code countLabel} names) within the font.
     *
     * @throws UserException naming the data set and the option
     */
    static void checkGlyphs(String dataset, String countLabel, int count, int channels) {
        if (channels != 1 && channels != 3) {
            throw new UserException("data set '" + dataset + "': channels must be 1 or 3, got " + channels);
        }
        if (count > GlyphSet.classCount()) {
            throw new UserException("data set '" + dataset + "': " + countLabel + " must be <= "
                    + GlyphSet.classCount() + ", got " + count);
        }
    }

    private static Map<String, String> describe(DatasetSpec spec, ImageSet train, ImageSet test, String source) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("spec", spec.name() + (spec.options().isEmpty() ? "" : ":" + spec.options()));
        d.put("source", source);
        d.put(Provenance.DATA, Provenance.data(d.get("spec"), source));
        d.put("classes", Integer.toString(train.classCount()));
        d.put("train_images", Integer.toString(train.count()));
        d.put("test_images", Integer.toString(test.count()));
        d.put("image_shape", train.channels() + "x" + train.height() + "x" + train.width());
        if (train.isStreamed()) {
            d.put("streamed", "true (images decoded from the files each epoch; image_shape is nominal)");
        }
        return d;
    }
}
