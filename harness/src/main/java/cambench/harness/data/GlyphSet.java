package cambench.harness.data;

import cambench.api.UserException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Renders a deterministic many-class glyph data set [N,C,S,S] with Java2D from the DejaVu fonts.
 *
 * <p>Classes are printable code points (Latin, Greek, Cyrillic, Armenian, Georgian and IPA letters
 * and digits without diacritics; arrows, mathematical operators, geometric shapes, currency and
 * other symbols) that all 20 DejaVu faces (Sans, Sans Condensed, Sans Mono, Serif, Serif Condensed
 * in every weight and slant; not ExtraLight or MathTeXGyre) display. Glyphs whose size-normalised
 * shape in DejaVu Sans is close to an earlier code point's (Latin A and Greek Alpha, o and O, l and
 * I) are dropped, since samples vary in size. The surviving classes, about {@link #classCount()},
 * are put in a fixed pseudo-random order (independent of {@code seed}), so consecutive class
 * ranges mix scripts; {@code classOffset} picks a range, e.g. few-shot base/val/novel.
 *
 * <p>Sample j of class k is determined by (seed, classOffset + k, j) alone, whatever the thread
 * count: font face (uniform over the 20), size (longer side of the glyph's box 55-85% of S),
 * rotation (+-15 degrees), shear (+-0.25), translation (+-8% of S), bold stroke (p = 0.35, 0.3-1.2
 * px), background and foreground intensities (0-35% and 65-100%, swapped with p = 0.5; per
 * channel +-15% when C = 3) and Gaussian pixel noise (sd 0-6% of 255). Labels are 0..classes-1;
 * images are in class-major order. Rendering runs headless.
 */
public final class GlyphSet {
    /** Debian's location of fonts-dejavu-core and fonts-dejavu-extra. */
    public static final Path DEJAVU_DIR = Path.of("/usr/share/fonts/truetype/dejavu");

    private static final String[] FACES = {"DejaVuSans", "DejaVuSansCondensed", "DejaVuSansMono", "DejaVuSerif",
        "DejaVuSerifCondensed"};
    private static final String[][] STYLES = {{"", "-Bold", "-Oblique", "-BoldOblique"},
        {"", "-Bold", "-Italic", "-BoldItalic"}};
    private static final Character.UnicodeBlock[] LETTER_BLOCKS = {Character.UnicodeBlock.BASIC_LATIN,
        Character.UnicodeBlock.GREEK, Character.UnicodeBlock.CYRILLIC, Character.UnicodeBlock.ARMENIAN,
        Character.UnicodeBlock.GEORGIAN, Character.UnicodeBlock.IPA_EXTENSIONS};
    private static final Character.UnicodeBlock[] SYMBOL_BLOCKS = {Character.UnicodeBlock.ARROWS,
        Character.UnicodeBlock.MATHEMATICAL_OPERATORS, Character.UnicodeBlock.GEOMETRIC_SHAPES,
        Character.UnicodeBlock.MISCELLANEOUS_SYMBOLS, Character.UnicodeBlock.CURRENCY_SYMBOLS,
        Character.UnicodeBlock.LETTERLIKE_SYMBOLS, Character.UnicodeBlock.MISCELLANEOUS_TECHNICAL};
    /** Side of the size-normalised shape used to find look-alike glyphs. */
    private static final int SIGNATURE = 16;
    /** Mean absolute difference (0..1) below which two signatures count as the same shape. */
    private static final double SAME_SHAPE = 0.06;
    private static final long CLASS_ORDER_SEED = 0x5eed_61f1L;
    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private GlyphSet() {
    }

    /** Number of classes available (fixed for a given DejaVu version). */
    public static int classCount() {
        return Catalog.INSTANCE.codePoints.length;
    }

    /** Code point of each class, in class order; class names are {@code "U+XXXX"}. */
    public static int[] codePoints() {
        return Catalog.INSTANCE.codePoints.clone();
    }

    /**
     * Renders {@code classes} classes x {@code perClass} samples of S x S pixels.
     *
     * @param channels 1 (gray) or 3 (tinted RGB)
     * @param classOffset first class used; classes {@code [classOffset, classOffset + classes)}
     * @return [classes*perClass, channels, size, size], class-major, labels 0..classes-1,
     *     named {@code glyphs}
     * @throws IllegalArgumentException if the range exceeds {@link #classCount()} or a size is
     *     not positive
     */
    public static ImageSet render(int classes, int perClass, int size, int channels, long seed, int classOffset) {
        Catalog cat = Catalog.INSTANCE;
        if (classes <= 0 || perClass <= 0 || size < 8 || (channels != 1 && channels != 3) || classOffset < 0
                || classOffset + classes > cat.codePoints.length) {
            throw new IllegalArgumentException("glyphs: classes " + classes + " from " + classOffset + " of "
                    + cat.codePoints.length + ", perClass " + perClass + ", size " + size + ", channels " + channels);
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(String.format("U+%04X", cat.codePoints[classOffset + k]));
        }
        int n = classes * perClass;
        int[] labels = new int[n];
        PixelStore store = PixelStore.allocate(n, channels * size * size);
        IntStream.range(0, n).parallel().forEach(i -> {
            labels[i] = i / perClass;
            int cls = classOffset + i / perClass;
            store.setImage(i, cat.sample(cls, i % perClass, size, channels, seed), 0);
        });
        return new ImageSet("glyphs", names, labels, channels, size, size, store);
    }

    /** Loaded fonts and the class list, built once on first use. */
    private static final class Catalog {
        static final Catalog INSTANCE = new Catalog();

        final Font[] fonts;
        final int[] codePoints;

        private Catalog() {
            List<Font> list = new ArrayList<>();
            for (int f = 0; f < FACES.length; f++) {
                for (String style : STYLES[FACES[f].startsWith("DejaVuSerif") ? 1 : 0]) {
                    list.add(load(DEJAVU_DIR.resolve(FACES[f] + style + ".ttf")));
                }
            }
            fonts = list.toArray(new Font[0]);
            codePoints = shuffle(distinctShapes(candidates()));
        }

        private static Font load(Path file) {
            DataIo.requireFile(file, "a DejaVu font; apt-get install fonts-dejavu-core fonts-dejavu-extra");
            try {
                return Font.createFont(Font.TRUETYPE_FONT, file.toFile()).deriveFont(64f);
            } catch (IOException | FontFormatException e) {
                throw new UserException(file + ": cannot load font (" + e.getMessage() + ")", e);
            }
        }

        private List<Integer> candidates() {
            List<Integer> out = new ArrayList<>();
            for (int cp = 0x21; cp < 0x2800; cp++) {
                if (isCandidate(cp) && displayedByAll(cp)) {
                    out.add(cp);
                }
            }
            return out;
        }

        private static boolean isCandidate(int cp) {
            Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
            if (block == null) {
                return false;
            }
            if (List.of(LETTER_BLOCKS).contains(block)) {
                String s = Character.toString(cp);
                return Character.isLetterOrDigit(cp) && Normalizer.normalize(s, Normalizer.Form.NFD).length() == 1;
            }
            int type = Character.getType(cp);
            return List.of(SYMBOL_BLOCKS).contains(block) && (type == Character.MATH_SYMBOL
                    || type == Character.OTHER_SYMBOL || type == Character.CURRENCY_SYMBOL);
        }

        private boolean displayedByAll(int cp) {
            for (Font f : fonts) {
                if (!f.canDisplay(cp)) {
                    return false;
                }
            }
            return true;
        }

        /** Keeps each code point whose normalised DejaVu Sans shape differs from all kept ones. */
        private int[] distinctShapes(List<Integer> candidates) {
            List<float[]> kept = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int cp : candidates) {
                float[] sig = signature(cp);
                if (sig == null) {
                    continue;
                }
                boolean same = false;
                for (int k = 0; k < kept.size() && !same; k++) {
                    same = distance(sig, kept.get(k)) < SAME_SHAPE;
                }
                if (!same) {
                    kept.add(sig);
                    out.add(cp);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        private float[] signature(int cp) {
            Shape outline = outline(fonts[0], cp);
            Rectangle2D b = outline.getBounds2D();
            if (b.getWidth() <= 0 || b.getHeight() <= 0) {
                return null;
            }
            byte[] mask = mask(outline, SIGNATURE, 0.9 * SIGNATURE, 0, 0, 0, 0);
            float[] sig = new float[mask.length];
            for (int p = 0; p < mask.length; p++) {
                sig[p] = (mask[p] & 0xFF) / 255f;
            }
            return sig;
        }

        private static double distance(float[] a, float[] b) {
            double d = 0;
            for (int p = 0; p < a.length; p++) {
                d += Math.abs(a[p] - b[p]);
            }
            return d / a.length;
        }

        private static int[] shuffle(int[] cps) {
            return Seeds.shuffle(cps, new SplittableRandom(CLASS_ORDER_SEED));
        }

        /** Renders sample {@code j} of class {@code cls}: [channels,S,S] uint8. */
        byte[] sample(int cls, int j, int size, int channels, long seed) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, cls, j));
            Font font = fonts[r.nextInt(fonts.length)];
            double box = size * r.nextDouble(0.55, 0.85);
            double angle = Math.toRadians(r.nextDouble(-15, 15));
            double shear = r.nextDouble(-0.25, 0.25);
            double tx = size * r.nextDouble(-0.08, 0.08);
            double ty = size * r.nextDouble(-0.08, 0.08);
            double stroke = r.nextDouble() < 0.35 ? r.nextDouble(0.3, 1.2) : 0;
            double bg = r.nextDouble(0, 0.35);
            double fg = r.nextDouble(0.65, 1.0);
            if (r.nextBoolean()) {
                double t = bg;
                bg = fg;
                fg = t;
            }
            double noise = r.nextDouble(0, 0.06) * 255;
            byte[] mask = mask(outline(font, codePoints[cls]), size, box, angle, shear, tx, ty, stroke);
            byte[] out = new byte[channels * size * size];
            for (int c = 0; c < channels; c++) {
                double b = 255 * clamp01(bg + (channels == 3 ? r.nextDouble(-0.15, 0.15) : 0));
                double f = 255 * clamp01(fg + (channels == 3 ? r.nextDouble(-0.15, 0.15) : 0));
                for (int p = 0; p < size * size; p++) {
                    double a = (mask[p] & 0xFF) / 255.0;
                    double v = b + a * (f - b) + noise * r.nextGaussian();
                    out[c * size * size + p] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
            return out;
        }

        private static Shape outline(Font font, int cp) {
            return font.createGlyphVector(FRC, Character.toString(cp)).getOutline();
        }

        private static byte[] mask(Shape outline, int size, double box, double angle, double shear, double tx,
                double ty) {
            return mask(outline, size, box, angle, shear, tx, ty, 0);
        }

        /** Coverage [S,S] of the glyph fitted to {@code box} px, centred, then rotated, sheared, moved. */
        private static byte[] mask(Shape outline, int size, double box, double angle, double shear, double tx,
                double ty, double stroke) {
            Rectangle2D b = outline.getBounds2D();
            double scale = box / Math.max(b.getWidth(), b.getHeight());
            AffineTransform at = new AffineTransform();
            at.translate(size / 2.0 + tx, size / 2.0 + ty);
            at.rotate(angle);
            at.shear(shear, 0);
            at.scale(scale, scale);
            at.translate(-b.getCenterX(), -b.getCenterY());
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                g.setColor(Color.WHITE);
                Shape shape = at.createTransformedShape(outline);
                g.fill(shape);
                if (stroke > 0) {
                    g.setStroke(new BasicStroke((float) stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(shape);
                }
            } finally {
                g.dispose();
            }
            return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        }

        private static double clamp01(double v) {
            return Math.max(0, Math.min(1, v));
        }
    }
}
