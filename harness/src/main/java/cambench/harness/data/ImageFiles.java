package cambench.harness.data;

import cambench.api.UserException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image files of a streamed {@link ImageSet}: paths stored as strings relative to a root
 * (compact for a million files), decoded on demand by the loader's decoder threads.
 *
 * <p>An unreadable file is a one-line {@code UserException} naming it ({@link BadImages#FAIL}) or
 * is reported once on stderr and dropped from its batch ({@link BadImages#SKIP}). Immutable apart
 * from the record of files already reported; thread-safe.
 */
public final class ImageFiles {
    /** What an unreadable image does. */
    public enum BadImages {
        /** Report it with its path and drop it from its batch. */
        SKIP,
        /** Stop with a one-line error naming it. */
        FAIL;

        /**
         * Parses {@code skip} or {@code fail}.
         *
         * @throws UserException for anything else, naming {@code where}
         */
        public static BadImages parse(String value, String where) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "skip" -> SKIP;
                case "fail" -> FAIL;
                default -> throw new UserException(where + ": bad-images must be skip or fail, got '" + value + "'");
            };
        }
    }

    private final Path root;
    private final String[] names;
    private final BadImages bad;
    private final Set<String> reported;

    private ImageFiles(Path root, String[] names, BadImages bad, Set<String> reported) {
        this.root = root;
        this.names = names;
        this.bad = bad;
        this.reported = reported;
    }

    /** The files (paths under {@code root} are stored relative to it, others absolute). */
    public static ImageFiles of(Path root, List<Path> files, BadImages bad) {
        Path r = root.toAbsolutePath().normalize();
        String[] names = new String[files.size()];
        for (int i = 0; i < names.length; i++) {
            Path p = files.get(i).toAbsolutePath().normalize();
            names[i] = p.startsWith(r) ? r.relativize(p).toString() : p.toString();
        }
        return new ImageFiles(r, names, bad, ConcurrentHashMap.newKeySet());
    }

    /** Number of files. */
    public int count() {
        return names.length;
    }

    /** Path of file {@code i}. */
    public Path path(int i) {
        return root.resolve(names[i]);
    }

    /** The unreadable-image policy. */
    public BadImages badImages() {
        return bad;
    }

    /** The files at {@code indices}, in that order (repeats allowed). */
    public ImageFiles select(int[] indices) {
        String[] sub = new String[indices.length];
        for (int k = 0; k < indices.length; k++) {
            sub[k] = names[indices[k]];
        }
        return new ImageFiles(root, sub, bad, reported);
    }

    /** The files of {@code parts} in order, under the first part's root and policy. */
    public static ImageFiles concat(List<ImageFiles> parts) {
        ImageFiles first = parts.get(0);
        int n = parts.stream().mapToInt(ImageFiles::count).sum();
        String[] all = new String[n];
        int at = 0;
        for (ImageFiles p : parts) {
            for (int i = 0; i < p.count(); i++) {
                all[at++] = first.root.relativize(p.path(i).toAbsolutePath().normalize()).toString();
            }
        }
        return new ImageFiles(first.root, all, first.bad, first.reported);
    }

    /**
     * Decodes file {@code i} at its own size, [channels,H,W] uint8.
     *
     * @return the image, or null when it is unreadable and the policy is SKIP (reported once)
     * @throws UserException naming the file when it is unreadable and the policy is FAIL
     */
    public ImageFolderReader.Decoded decode(int i, int channels) {
        Path file = path(i);
        try {
            return ImageFolderReader.decodeFull(file, channels);
        } catch (UserException e) {
            if (bad == BadImages.FAIL) {
                throw new UserException(e.getMessage() + " (pass bad-images=skip to skip unreadable images)");
            }
            if (reported.add(names[i])) {
                System.err.println("warning: skipping unreadable image: " + e.getMessage());
            }
            return null;
        }
    }
}
