package cambench.harness.datasets;

import cambench.harness.data.CloserLookSplit;
import cambench.harness.data.CubClassSplit;
import cambench.harness.data.CubReader;
import cambench.harness.data.GlyphSet;
import cambench.harness.data.ImageFolderReader;
import cambench.harness.data.ImageSet;
import cambench.harness.data.PixelStore;
import cambench.api.UserException;
import cambench.harness.run.Provenance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves few-shot data set specs to class splits (base / val / novel). The episode shape (way,
 * shots, queries, episodes) is not part of the data set: it is a setting of the few-shot
 * protocols, so every cell shows it.
 *
 * <p>Specs:
 * <ul>
 *   <li>{@code fewshot-glyphs:base=64,val=16,novel=20,per=60,size=32,channels=1,seed=7}: rendered
 *       glyph classes, the first {@code base} classes are base, the next {@code val} val, the next
 *       {@code novel} novel; {@code per} images a class. Nothing to download.</li>
 *   <li>{@code mini-imagenet[:size=224]}: {@code DATA_ROOT/mini-imagenet/} with the Ravi-Larochelle
 *       split CSVs {@code train.csv}, {@code val.csv}, {@code test.csv} ({@code filename,label}, as
 *       CloserLookFewShot reads them: 64 base, 16 val, 20 novel classes) and {@code images/}.</li>
 *   <li>{@code cub[:size=224,split=NAME|DIR,split_seed=0]}: CUB-200-2011 under {@code DATA_ROOT}
 *       split by class: the named splits {@code closerlook} (default; 100 / 50 / 50) and
 *       {@code 120-30-50} (seeded with {@code split_seed}), see {@link CubClassSplit}, or the split
 *       files in {@code DIR} (absolute, or relative to {@code DATA_ROOT}) in CloserLook's format, see
 *       {@link CloserLookSplit}.</li>
 *   <li>{@code cross:SOURCE->TARGET}: training on every class of SOURCE (its base, val and novel
 *       classes together, as CloserLookFewShot trains for its cross-domain setting: all 100
 *       mini-ImageNet classes), val and novel classes of TARGET (its novel split when TARGET is a
 *       few-shot spec, else every class of a classification spec's test set, e.g.
 *       {@code fashion-mnist:test=2000}); the evaluation options go on TARGET. Paper:
 *       {@code cross:mini-imagenet->cub}.</li>
 * </ul>
 * Images of SOURCE and TARGET must share channels and size.
 */
public final class FewShotCatalog {
    private static final Map<String, FewShotSplit> CACHE = new ConcurrentHashMap<>();
    /** Former data set options that are protocol settings now. */
    private static final Set<String> EPISODE_KEYS = Set.of("way", "query", "episodes");

    private final Path dataRoot;
    private final DatasetCatalog classification;

    /** A catalog reading real data sets below {@code dataRoot} (may be null). */
    public FewShotCatalog(Path dataRoot) {
        this.dataRoot = dataRoot;
        this.classification = new DatasetCatalog(dataRoot);
    }

    /**
     * A class split.
     *
     * @param base base classes (training; for {@code cross:} every class of the source)
     * @param val validation classes (may be empty of images for cross-domain targets without one)
     * @param novel novel classes (episodes)
     * @param testAugment evaluation transform of novel images
     * @param description what was loaded, for the run record
     */
    public record FewShotSplit(ImageSet base, ImageSet val, ImageSet novel, String testAugment,
            Map<String, String> description) {
    }

    /**
     * Loads (or returns the cached) split for {@code spec}.
     *
     * @throws UserException for an unknown name, a bad option or missing files
     */
    public FewShotSplit load(String spec) {
        String key = dataRoot + "|" + spec;
        FewShotSplit cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        FewShotSplit loaded = loadUncached(spec);
        CACHE.put(key, loaded);
        return loaded;
    }

    private FewShotSplit loadUncached(String spec) {
        if (spec.startsWith("cross:")) {
            String[] parts = spec.substring("cross:".length()).split("->", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new UserException("data set '" + spec + "': expected cross:SOURCE->TARGET, e.g. "
                        + "cross:mini-imagenet->cub");
            }
            FewShotSplit source = splits(DatasetSpec.parse(parts[0].strip()), false, true);
            FewShotSplit target = splits(DatasetSpec.parse(parts[1].strip()), true, false);
            ImageSet b = source.base();
            ImageSet n = target.novel();
            if (b.channels() != n.channels() || b.height() != n.height() || b.width() != n.width()) {
                throw new UserException("data set '" + spec + "': source images are " + shape(b) + ", target images "
                        + shape(n) + "; give both the same size and channels");
            }
            Map<String, String> d = new LinkedHashMap<>();
            d.put("spec", spec);
            source.description().forEach((k, v) -> d.put("source_" + k, v));
            target.description().forEach((k, v) -> d.put("target_" + k, v));
            return new FewShotSplit(b, target.val(), n, target.testAugment(), d);
        }
        return splits(DatasetSpec.parse(spec), false, false);
    }

    /**
     * A plain (non-cross) spec; {@code asTarget} allows classification specs (all classes novel);
     * {@code allAsBase} (the source of a cross-domain spec) makes every class of the spec, base +
     * val + novel, the training set.
     */
    private FewShotSplit splits(DatasetSpec full, boolean asTarget, boolean allAsBase) {
        for (String key : full.options().keySet()) {
            if (EPISODE_KEYS.contains(key)) {
                throw new UserException("data set '" + full.name() + "': option '" + key + "' is a setting of the"
                        + " few-shot protocols now (way, shots, query, episodes); set it with --setting " + key
                        + "=N or a preset's table_settings");
            }
        }
        DatasetSpec spec = full;
        Sets s = switch (spec.name()) {
            case "fewshot-glyphs" -> glyphs(spec);
            case "mini-imagenet" -> miniImagenet(spec);
            case "cub" -> cub(spec);
            default -> {
                if (!asTarget) {
                    throw new UserException("unknown few-shot data set '" + spec.name()
                            + "'; known: fewshot-glyphs, mini-imagenet, cub, cross:SOURCE->TARGET");
                }
                yield classificationTarget(spec);
            }
        };
        ImageSet base = allAsBase ? s.allClasses() : s.base();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("spec", full.name() + (full.options().isEmpty() ? "" : ":" + full.options()));
        d.put("source", s.source());
        d.put(Provenance.DATA, Provenance.data(d.get("spec"), s.source()));
        if (allAsBase) {
            d.put("base_from", "base + val + novel classes (" + s.base().classCount() + " + "
                    + s.val().classCount() + " + " + s.novel().classCount() + ")");
        }
        d.put("base_classes", Integer.toString(base.classCount()));
        d.put("base_images", Integer.toString(base.count()));
        d.put("val_classes", Integer.toString(s.val().classCount()));
        d.put("novel_classes", Integer.toString(s.novel().classCount()));
        d.put("novel_images", Integer.toString(s.novel().count()));
        d.put("image_shape", shape(s.novel()));
        int side = s.novel().height();
        String testAugment = s.novel().isStreamed() ? "resize" + (int) (side * 1.15) + ",center" + side : "none";
        if (s.novel().isStreamed()) {
            d.put("streamed", "true (CloserLook test transform " + testAugment + " on the full images)");
        }
        return new FewShotSplit(base, s.val(), s.novel(), testAugment, d);
    }

    /**
     * The three class splits of one source and where they came from; {@code all}, when not null,
     * holds exactly the images of the three splits (saves a copy for {@link #allClasses}).
     */
    private record Sets(ImageSet base, ImageSet val, ImageSet novel, String source, ImageSet all) {
        Sets(ImageSet base, ImageSet val, ImageSet novel, String source) {
            this(base, val, novel, source, null);
        }

        Sets(ImageSet[] splits, String source) {
            this(splits[0], splits[1], splits[2], source, null);
        }

        /** Every class of base, val and novel in one set, labels 0..k-1. */
        ImageSet allClasses() {
            return all != null ? all : union(base.name() + "+val+novel", base, val, novel);
        }
    }

    /**
     * The images of {@code parts} in one set, copied: classes of the first part, then of the
     * second, and so on, labels shifted to match. The parts share the image shape.
     */
    static ImageSet union(String name, ImageSet... parts) {
        List<String> classes = new ArrayList<>();
        int count = 0;
        for (ImageSet p : parts) {
            classes.addAll(p.classes());
            count += p.count();
        }
        ImageSet first = parts[0];
        if (first.isStreamed()) {
            List<cambench.harness.data.ImageFiles> files = new ArrayList<>();
            int[] labels = new int[count];
            int at = 0;
            int classOffset = 0;
            for (ImageSet p : parts) {
                if (!p.isStreamed()) {
                    throw new UserException(name + ": cannot join a streamed and an in-memory set; give both stream=on");
                }
                files.add(p.files());
                for (int i = 0; i < p.count(); i++) {
                    labels[at++] = p.label(i) + classOffset;
                }
                classOffset += p.classCount();
            }
            return ImageSet.streamed(name, classes, labels, first.channels(), first.height(),
                    cambench.harness.data.ImageFiles.concat(files));
        }
        PixelStore pixels = PixelStore.allocate(count, first.imageBytes());
        int[] labels = new int[count];
        byte[] image = new byte[first.imageBytes()];
        int at = 0;
        int classOffset = 0;
        for (ImageSet p : parts) {
            if (p.isStreamed()) {
                throw new UserException(name + ": cannot join an in-memory and a streamed set; give both stream=on");
            }
            for (int i = 0; i < p.count(); i++, at++) {
                p.pixels().copyImage(i, image, 0);
                pixels.setImage(at, image, 0);
                labels[at] = p.label(i) + classOffset;
            }
            classOffset += p.classCount();
        }
        return new ImageSet(name, classes, labels, first.channels(), first.height(), first.width(), pixels);
    }

    private static Sets glyphs(DatasetSpec spec) {
        spec.allowOnly(Set.of("base", "val", "novel", "per", "size", "channels", "seed"));
        int base = spec.integer("base", 64, 2);
        int val = spec.integer("val", 16, 0);
        int novel = spec.integer("novel", 20, 2);
        int per = spec.integer("per", 60, 2);
        int size = spec.integer("size", 32, 8);
        int channels = spec.integer("channels", 1, 1);
        DatasetCatalog.checkGlyphs("fewshot-glyphs", "base + val + novel", base + val + novel, channels);
        ImageSet all = GlyphSet.render(base + val + novel, per, size, channels, spec.integer("seed", 7, 0), 0);
        return new Sets(range(all, 0, base), range(all, base, base + val), range(all, base + val, base + val + novel),
                "rendered DejaVu glyphs", all);
    }

    private Sets miniImagenet(DatasetSpec spec) {
        spec.allowOnly(Set.of("size", "stream", "bad-images"));
        int size = spec.integer("size", 224, 8);
        ImageFolderReader.LoadOptions options = classification.loadOptions(spec);
        Path dir = folder("mini-imagenet", "put the Ravi-Larochelle split (train.csv, val.csv, test.csv, "
                + "images/) in DATA_ROOT/mini-imagenet");
        Path images = dir.resolve("images");
        return new Sets(ImageFolderReader.readCsv(dir.resolve("train.csv"), images, size, "mini-base", options),
                ImageFolderReader.readCsv(dir.resolve("val.csv"), images, size, "mini-val", options),
                ImageFolderReader.readCsv(dir.resolve("test.csv"), images, size, "mini-novel", options),
                dir.toString());
    }

    private Sets cub(DatasetSpec spec) {
        spec.allowOnly(Set.of("size", "split", "split_seed", "stream", "bad-images"));
        Path dir = folder("CUB_200_2011", "extract CUB_200_2011.tgz under --data-root");
        ImageSet all = CubReader.read(dir, "all", spec.integer("size", 224, 8), classification.loadOptions(spec));
        String split = spec.options().getOrDefault("split", CubClassSplit.CLOSER_LOOK);
        if (CubClassSplit.isNamed(split)) {
            int[][] ids = CubClassSplit.of(split, all.classCount(), spec.integer("split_seed", 0, 0));
            return new Sets(classes(all, ids[0]), classes(all, ids[1]), classes(all, ids[2]),
                    dir + " split " + split, all);
        }
        Path splitDir = dataRoot.resolve(split);
        return new Sets(CloserLookSplit.split(all, splitDir), dir + " split " + splitDir);
    }

    /** A classification spec as a cross-domain target: no base or val classes, its test set novel. */
    private Sets classificationTarget(DatasetSpec spec) {
        String plain = spec.name() + (spec.options().isEmpty() ? "" : ":" + String.join(",",
                spec.options().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        DataSplit split = classification.load(plain);
        ImageSet test = split.test();
        return new Sets(split.train(), test.filterClasses(Set.of()), test,
                split.description().getOrDefault("source", plain));
    }

    private Path folder(String name, String hint) {
        if (dataRoot != null && Files.isDirectory(dataRoot.resolve(name))) {
            return dataRoot.resolve(name);
        }
        throw new UserException("data set folder '" + name + "' not found under --data-root "
                + (dataRoot == null ? "(not set)" : dataRoot) + "; " + hint);
    }

    private static ImageSet range(ImageSet all, int from, int to) {
        Set<Integer> keep = new TreeSet<>();
        for (int c = from; c < to; c++) {
            keep.add(c);
        }
        return all.filterClasses(keep);
    }

    private static ImageSet classes(ImageSet all, int[] ids) {
        Set<Integer> keep = new TreeSet<>();
        for (int c : ids) {
            keep.add(c);
        }
        return all.filterClasses(keep);
    }

    private static String shape(ImageSet s) {
        return s.channels() + "x" + s.height() + "x" + s.width();
    }
}
