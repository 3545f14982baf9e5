package cambench.harness.data;

import java.util.ArrayList;
import java.util.List;

/** Small in-memory image sets for tests. */
final class TestImages {
    private TestImages() {
    }

    /** n images [c,h,w]; pixel (i, ch, y, x) = (i*7 + ch*31 + y*h... ) & 0xFF; label i % classes. */
    static ImageSet ramp(int n, int c, int h, int w, int classes) {
        PixelStore store = PixelStore.allocate(n, c * h * w);
        byte[] img = new byte[c * h * w];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < img.length; p++) {
                img[p] = (byte) value(i, p);
            }
            store.setImage(i, img, 0);
            labels[i] = i % classes;
        }
        return new ImageSet("ramp", classNames(classes), labels, c, h, w, store);
    }

    /** The pixel value {@link #ramp} writes at flat position p of image i. */
    static int value(int i, int p) {
        return (i * 7 + p * 13) & 0xFF;
    }

    static List<String> classNames(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add("c" + i);
        }
        return names;
    }

    static byte[] image(ImageSet set, int i) {
        byte[] b = new byte[set.imageBytes()];
        set.pixels().copyImage(i, b, 0);
        return b;
    }
}
