package cambench.harness.datasets;

import cambench.harness.data.ImageSet;

import java.util.Map;

/**
 * A training and a test set of one data set spec, with how they were obtained.
 *
 * @param train training images
 * @param test test images (same classes)
 * @param testAugment the evaluation transform, e.g. {@code none} or {@code center84}
 * @param description what was loaded (source, sizes), for the run record
 */
public record DataSplit(ImageSet train, ImageSet test, String testAugment, Map<String, String> description) {
}
