package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

/** Reads Debian's real Fashion-MNIST when installed ({@code apt-get install dataset-fashion-mnist}). */
class FashionMnistRealDataTest {

    @Test
    void fashionMnist_debianPackage_hasStandardSizes() {
        assumeTrue(Files.isDirectory(IdxReader.FASHION_MNIST_DIR),
                "skipped: /usr/share/datasets/fashion-mnist absent (apt-get install dataset-fashion-mnist)");
        ImageSet train = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, "train");
        ImageSet test = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, "test");
        assertEquals(60000, train.count());
        assertEquals(10000, test.count());
        assertEquals(28, train.height());
        assertEquals(1, train.channels());
        int[] counts = train.classCounts();
        for (int c : counts) {
            assertEquals(6000, c);
        }
    }
}
