package cambench.harness.datasets;

import java.util.Map;
import java.util.Optional;

/**
 * The shapes and image counts of the papers' data sets, known without reading them, so that a
 * preflight ({@code cambench check}) can cost a plan on a machine without the data. Only the plain
 * names the {@code paper} preset uses are known (a spec with options is not).
 */
public final class PaperDatasets {
    /**
     * One data set as a cell sees it.
     *
     * @param channels image channels
     * @param side the side an in-memory image is decoded at, or the nominal side of a streamed
     *     photo (random-resized crops and resizes do not depend on it)
     * @param streamed whether its images are augmented from the full files (photo sets)
     * @param classes training classes
     * @param trainImages training images (few-shot: the base classes' images)
     * @param testImages test images (few-shot: the novel classes' images, whose features are
     *     extracted once)
     * @param source where the counts come from; {@code ≈} marks an estimate
     */
    public record Size(int channels, int side, boolean streamed, int classes, long trainImages, long testImages,
            String source) {
    }

    private static final Map<String, Size> CLASSIFICATION = Map.of(
            "cifar10", new Size(3, 32, false, 10, 50_000, 10_000, "CIFAR-10: 50,000 train / 10,000 test"),
            "cifar100", new Size(3, 32, false, 100, 50_000, 10_000, "CIFAR-100: 50,000 train / 10,000 test"),
            "imagenet", new Size(3, 256, true, 1000, 1_281_167, 50_000, "ILSVRC-2012: 1,281,167 train / 50,000 val"),
            "cub", new Size(3, 600, true, 200, 5_994, 5_794, "CUB-200-2011: 5,994 train / 5,794 test (paper Sec. 4.1)"),
            "stanford-dogs", new Size(3, 600, true, 120, 12_000, 8_580,
                    "Stanford Dogs: 12,000 train / 8,580 test (paper Sec. 4.1)"));

    private static final Map<String, Size> FEW_SHOT = Map.of(
            "mini-imagenet", new Size(3, 224, true, 64, 64 * 600, 20 * 600,
                    "mini-ImageNet: 64 base / 20 novel classes of 600 images"),
            "cub", new Size(3, 224, true, 100, 5_894, 2_947,
                    "CUB closerlook split: 100 base / 50 novel of 200 classes, ≈ 11,788 / 2 and / 4 images"),
            "cross:mini-imagenet->cub", new Size(3, 224, true, 100, 100 * 600, 2_947,
                    "all 100 mini-ImageNet classes of 600 images; CUB's ≈ 2,947 novel images"));

    private PaperDatasets() {
    }

    /** The size of data set spec {@code spec} as the classification protocols read it, if known. */
    public static Optional<Size> classification(String spec) {
        return Optional.ofNullable(CLASSIFICATION.get(spec));
    }

    /** The size of few-shot data set spec {@code spec}, if known. */
    public static Optional<Size> fewShot(String spec) {
        return Optional.ofNullable(FEW_SHOT.get(spec));
    }
}
