package cambench.harness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cambench.harness.data.ImageSet;
import cambench.harness.data.PixelStore;
import cambench.harness.datasets.FewShotCatalog.FewShotSplit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cross:SOURCE->TARGET} trains on every class of the source: its base, val and novel classes. */
class CrossDomainSplitTest {
    private static final String SOURCE = "fewshot-glyphs:base=4,val=2,novel=3,per=3,size=8";
    private static final String TARGET = "fewshot-glyphs:base=2,val=2,novel=5,per=4,size=8,seed=11";

    @Test
    void cross_trainsOnBaseValAndNovelClassesOfTheSource() {
        FewShotCatalog catalog = new FewShotCatalog(null);
        FewShotSplit source = catalog.load(SOURCE);
        FewShotSplit target = catalog.load(TARGET);
        FewShotSplit cross = catalog.load("cross:" + SOURCE + "->" + TARGET);

        List<String> sourceClasses = new ArrayList<>(source.base().classes());
        sourceClasses.addAll(source.val().classes());
        sourceClasses.addAll(source.novel().classes());
        assertEquals(9, sourceClasses.size());
        assertEquals(sourceClasses, cross.base().classes());
        assertEquals(9 * 3, cross.base().count());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3}, cross.base().classCounts());
        assertEquals("9", cross.description().get("source_base_classes"));
        assertEquals("base + val + novel classes (4 + 2 + 3)", cross.description().get("source_base_from"));

        assertEquals(target.novel().classes(), cross.novel().classes());
        assertEquals(5 * 4, cross.novel().count());
        // the plain spec keeps its 4 base classes for training
        assertEquals(4, source.base().classCount());
    }

    @Test
    void episodeOptionInDataSpec_isOneLinePointingToTheSetting() {
        cambench.api.UserException e = org.junit.jupiter.api.Assertions.assertThrows(cambench.api.UserException.class,
                () -> new FewShotCatalog(null).load(TARGET + ",query=16"));
        assertEquals("data set 'fewshot-glyphs': option 'query' is a setting of the few-shot protocols now (way,"
                + " shots, query, episodes); set it with --setting query=N or a preset's table_settings", e.getMessage());
    }

    @Test
    void union_keepsPixelsAndShiftsLabelsPerPart() {
        ImageSet a = set("a", List.of("a0", "a1"), new int[] {1, 0}, new byte[] {10, 11, 20, 21});
        ImageSet b = set("b", List.of("b0"), new int[] {0}, new byte[] {30, 31});
        ImageSet c = set("c", List.of("c0", "c1", "c2"), new int[] {2, 0}, new byte[] {40, 41, 50, 51});

        ImageSet all = FewShotCatalog.union("all", a, b, c);

        assertEquals(List.of("a0", "a1", "b0", "c0", "c1", "c2"), all.classes());
        assertArrayEquals(new int[] {1, 0, 2, 5, 3}, all.labels());
        byte[] image = new byte[2];
        byte[][] expected = {{10, 11}, {20, 21}, {30, 31}, {40, 41}, {50, 51}};
        for (int i = 0; i < expected.length; i++) {
            all.pixels().copyImage(i, image, 0);
            assertArrayEquals(expected[i], image, "image " + i);
        }
    }

    /** A set of 1x1x2 images. */
    private static ImageSet set(String name, List<String> classes, int[] labels, byte[] pixels) {
        return new ImageSet(name, classes, labels, 1, 1, 2, PixelStore.wrap(pixels, 2));
    }
}
